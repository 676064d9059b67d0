import type { SecretPath } from "@agentsecretstore/protocol";
import type { StoredResponse } from "../store/idempotency-store.js";
import type { Actor } from "./actor.js";
import { guardedWrite } from "./guarded-write.js";
import type { VaultContext } from "./vault-context.js";
import { type WriteOptions, writeSecretVersion } from "./write-secret.js";

/** A write of one secret as a request asks for it. */
export type PutSecret = WriteOptions & {
  path: SecretPath;
  idempotencyKey: string | undefined;
  /** What makes a retry the same request (see {@link guardedWrite}). */
  fingerprint: unknown;
};

/**
 * Creates a secret (201) or adds a version (200). Needs `write` on the path; `ifMatch` and
 * `createOnly` guard against lost updates; an Idempotency-Key makes a retry return the first
 * answer and write nothing.
 */
export function putSecret(
  context: VaultContext,
  actor: Actor,
  { path, idempotencyKey, fingerprint, ...options }: PutSecret,
): Promise<StoredResponse> {
  return guardedWrite(
    context,
    actor,
    { action: "write", paths: [path.full], idempotencyKey, fingerprint },
    (stores) => writeSecretVersion(stores, context, actor.origin, actor.principal, path, options),
  );
}
