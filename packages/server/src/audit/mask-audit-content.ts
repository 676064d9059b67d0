import {
  credentialPattern,
  maskCredentials as maskCredentialsIn,
} from "@agentsecretstore/protocol";
import type { AuditEventContent } from "./hash-chain.js";

/** The marker errors and log lines use too (vault/vault-error.ts). */
const MARKER = "[redacted]";

function maskCredentials(text: string): string {
  return maskCredentialsIn(text, MARKER);
}

/** Fields the server itself generates (ids, the instant, the chain's tenant): never masked. */
const GENERATED_FIELDS = new Set<keyof AuditEventContent>(["id", "at", "tenantId"]);

/**
 * The event with every credential-shaped substring (the protocol's credential pattern:
 * `ass_live_…`, `ass_admin_…`, `ast_tok_…`, any case) reduced to its prefix and `[redacted]`,
 * in every text field and in the detail's keys and values. A credential pasted into
 * `?namespace=`, a secret path, a request id or a comment is then never stored in clear in the
 * audit log, its backups or `ass audit` output. Applied where events are written
 * (AuditStore.appendMany), so that no caller can forget it; the hash covers the masked event.
 */
export function maskAuditContent(content: AuditEventContent): AuditEventContent {
  // Almost every event holds no credential: it is returned as it is, with no copy made.
  if (!holdsCredential(content)) return content;
  const masked: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(content)) {
    masked[field] =
      typeof value === "string" && !GENERATED_FIELDS.has(field as keyof AuditEventContent)
        ? maskCredentials(value)
        : value;
  }
  if (content.detail !== undefined) {
    masked.detail = Object.fromEntries(
      Object.entries(content.detail).map(([key, value]) => [
        maskCredentials(key),
        typeof value === "string" ? maskCredentials(value) : value,
      ]),
    );
  }
  return masked as AuditEventContent;
}

/** The credential pattern without `g`, so that `test` keeps no `lastIndex` between calls. */
const CREDENTIAL = new RegExp(credentialPattern().source, "i");

/** Whether any text {@link maskAuditContent} masks holds a credential-shaped substring. */
function holdsCredential(content: AuditEventContent): boolean {
  for (const field in content) {
    const value = content[field as keyof AuditEventContent];
    if (
      typeof value === "string" &&
      !GENERATED_FIELDS.has(field as keyof AuditEventContent) &&
      CREDENTIAL.test(value)
    ) {
      return true;
    }
  }
  for (const key in content.detail) {
    const value = content.detail[key];
    if (CREDENTIAL.test(key) || (typeof value === "string" && CREDENTIAL.test(value))) return true;
  }
  return false;
}
