import { INSPECT_CUSTOM, REDACTED } from "../internal/redact.js";
import type { AllowedDestination, SecretMetadata } from "./secret-metadata.js";
import type { SecretTier } from "./secret-tier.js";
import type { SecretType } from "./secret-type.js";

/** Fields of a {@link Secret}: its metadata plus the value. */
export type SecretInit = Omit<SecretMetadata, "versions"> & { readonly value: string };

type InspectFunction = (value: unknown, options?: unknown) => string;

/**
 * A secret read from the vault. The value is only reachable through `.value`: `String()`,
 * template strings, `JSON.stringify()` and `util.inspect()` print `[REDACTED]` instead.
 *
 * @example
 * const secret = await vault.getSecret("production/openai/api-key");
 * new OpenAI({ apiKey: secret.value });
 * `${secret}`; // "Secret(production/openai/api-key v3, value [REDACTED])"
 */
export class Secret implements SecretMetadata {
  declare readonly path: string;
  declare readonly namespace: string;
  declare readonly key: string;
  declare readonly version: number;
  declare readonly tier: SecretTier;
  declare readonly secretType: SecretType;
  declare readonly description: string | null;
  declare readonly tags: Readonly<Record<string, string>>;
  declare readonly createdAt: Date | null;
  declare readonly updatedAt: Date | null;
  declare readonly accessedAt: Date | null;
  declare readonly expiresAt: Date | null;
  declare readonly allowedDestinations: readonly AllowedDestination[] | null;
  declare readonly approval: "per_call" | null;
  // A private field, so that spreading, Object.keys and structured logging never see it.
  readonly #value: string;

  constructor(init: SecretInit) {
    const { value, ...metadata } = init;
    // Own enumerable fields, set once; the value stays in a private field.
    Object.assign(this, metadata, { tags: Object.freeze({ ...metadata.tags }) });
    this.#value = value;
  }

  /** The secret value. The only way to read it. */
  get value(): string {
    return this.#value;
  }

  /** `Secret(<path> v<version>, value [REDACTED])`; never the value. */
  toString(): string {
    return `Secret(${this.path} v${this.version}, value ${REDACTED})`;
  }

  /** Metadata with `value: "[REDACTED]"`, so that `JSON.stringify` never prints the value. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), value: REDACTED };
  }

  [INSPECT_CUSTOM](_depth: number, options: unknown, inspect?: InspectFunction): string {
    if (inspect === undefined) return this.toString();
    return `Secret ${inspect(this.toJSON(), options)}`;
  }
}
