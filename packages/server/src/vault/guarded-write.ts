import type { ScopeAction } from "@agentsecretstore/protocol";
import type { StoredResponse } from "../store/idempotency-store.js";
import type { Stores } from "../store/stores.js";
import type { Actor } from "./actor.js";
import { authorizeAction, consumeTokenUse } from "./guard.js";
import { withIntegrityCheck } from "./secret-integrity.js";
import type { VaultContext } from "./vault-context.js";
import { idempotentWrite } from "./write-secret.js";

/** What a guarded write changes and how a retry of it is recognised. */
export type GuardedWrite = {
  action: ScopeAction;
  /** Every path the write touches: the scope (and approval) check runs on each. */
  paths: readonly string[];
  /** The caller's `Idempotency-Key`, if any. */
  idempotencyKey: string | undefined;
  /** What makes two requests the same one (method, path, body…), for the Idempotency-Key. */
  fingerprint: unknown;
};

/**
 * The guard's order for every write: scope and approval on each path (a denial is audited),
 * one token use, then the write in one transaction that also records its Idempotency-Key and
 * its audit event. Every route that changes secrets goes through here. A secret row that failed
 * its integrity check rolls the write back and is refused (vault/secret-integrity.ts).
 */
export async function guardedWrite(
  context: VaultContext,
  actor: Actor,
  write: GuardedWrite,
  change: (stores: Stores) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  const { principal, origin } = actor;
  for (const path of write.paths) {
    await authorizeAction(context, origin, principal, write.action, path);
  }
  await consumeTokenUse(context, origin, principal);
  return withIntegrityCheck(
    context,
    actor,
    write.paths.length === 1 ? (write.paths[0] ?? null) : null,
    () => idempotentWrite(context, principal, write.idempotencyKey, write.fingerprint, change),
  );
}
