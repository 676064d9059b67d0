import { SecretIntegrityError } from "../store/secret-integrity-error.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./audit-event.js";
import type { VaultContext } from "./vault-context.js";
import { VaultError } from "./vault-error.js";

/**
 * Runs a service's work on secrets and turns a row that failed its integrity check (its metadata
 * MAC or its sealed value, see store/secrets-store.ts) into INTEGRITY_FAILED (423): the secret is
 * refused, never served under the changed tier or version, an operator is told in the log, and
 * the refusal is audited as `secret.integrity_failed` (outside any transaction, which has rolled
 * back). `path` is the path the request named (null for several).
 */
export async function withIntegrityCheck<T>(
  context: VaultContext,
  { principal, origin }: Actor,
  path: string | null,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SecretIntegrityError)) throw error;
    context.log.error(
      {
        secret_id: error.secretId,
        record: error.record,
        version: error.version,
        path,
      },
      "a stored secret failed its integrity check: it was changed outside the server; refusing it",
    );
    await recordAudit(context, origin, principal, principal.tenantId, {
      event: "secret.integrity_failed",
      outcome: "failure",
      path,
      version: error.version,
      detail: { secret_id: error.secretId, record: error.record },
    });
    throw integrityFailed(path);
  }
}

function integrityFailed(path: string | null): VaultError {
  return new VaultError(
    "INTEGRITY_FAILED",
    `The stored secret${path === null ? "" : ` at ${path}`} failed its integrity check (it was changed outside the server) and is refused until an operator checks the database; the audit log records it as secret.integrity_failed. Quote the x-request-id`,
    path === null ? {} : { path },
  );
}
