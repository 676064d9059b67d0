import type { SecretPath } from "@agentsecretstore/protocol";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit-event.js";
import { guardedWrite } from "./guarded-write.js";
import type { VaultContext } from "./vault-context.js";
import { secretNotFound } from "./vault-error.js";

/**
 * Deletes a secret and every version of it (an expired secret can still be deleted). Needs
 * `delete` on the path; throws SECRET_NOT_FOUND when there is none.
 */
export async function deleteSecret(
  context: VaultContext,
  actor: Actor,
  path: SecretPath,
): Promise<void> {
  const { principal, origin } = actor;
  const write = { action: "delete", paths: [path.full], idempotencyKey: undefined } as const;
  const answer = await guardedWrite(
    context,
    actor,
    { ...write, fingerprint: null },
    async (stores) => {
      const secret = await stores.secrets.findByPathForWrite(principal.tenantId, path.full);
      if (secret === undefined) return { statusCode: 404, body: null };
      await stores.secrets.delete(principal.tenantId, secret.id);
      await appendAudit(stores, context, origin, principal, {
        event: "secret.deleted",
        outcome: "success",
        path: path.full,
        version: secret.currentVersion,
      });
      return { statusCode: 204, body: null };
    },
  );
  if (answer.statusCode === 404) throw secretNotFound(path.full);
}
