import type { AuditBatcher } from "../store/audit-batcher.js";
import type { DataAccess } from "../store/stores.js";

/** What every route module gets: data access, keys and settings. Never exported from the package. */
export type VaultContext = {
  readonly data: DataAccess;
  readonly masterKey: Buffer;
  /** HMAC key for credential hashes: deriveKey(masterKey, "credential-hmac"). */
  readonly credentialHmacKey: Buffer;
  readonly now: () => Date;
  /** Largest secret value accepted, in bytes (UTF-8). */
  readonly maxValueBytes: number;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** How long an approved agent read request lets that agent read the path, in seconds. */
  readonly agentGrantSeconds: number;
  /** Aborted when the server starts closing, so long-polls end early. */
  readonly closing: AbortSignal;
  /** Group commit for stand-alone audit events (reads, denials). */
  readonly auditBatcher: AuditBatcher;
};

/** The current time as the ISO-8601 string the database stores. */
export function nowIso(context: Pick<VaultContext, "now">): string {
  return context.now().toISOString();
}
