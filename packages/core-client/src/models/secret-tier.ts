import type { Tier } from "@agentsecretstore/protocol";

/**
 * Access tier of a secret: who must approve before a credential may read its value.
 * `standard` is automatic, `sensitive` needs one approval, `critical` two approvals by
 * different people and then a delay.
 *
 * Both a type and a value: `SecretTier.SENSITIVE === "sensitive"`.
 */
export const SecretTier = Object.freeze({
  STANDARD: "standard",
  SENSITIVE: "sensitive",
  CRITICAL: "critical",
} as const satisfies { readonly [T in Tier as Uppercase<T>]: T });

/** One of `"standard" | "sensitive" | "critical"`: the protocol's one tier type. */
export type SecretTier = Tier;
