import type { Actor } from "./actor.js";
import { type AuditVerification, verifyTenantAuditChain } from "./audit-verification.js";
import type { AuditEventRecord } from "./records.js";
import { requireAdmin } from "./require-admin.js";
import type { VaultContext } from "./vault-context.js";

/** What a page of the audit log is filtered by; `afterSeq` is where the previous page ended. */
export type AuditQuery = {
  afterSeq: number | null;
  limit: number;
  path?: string;
  event?: string;
  actor?: string;
};

/** One page of the caller's tenant's audit log, in chain order (admins only). */
export async function listAuditEvents(
  context: VaultContext,
  actor: Actor,
  query: AuditQuery,
): Promise<{ items: AuditEventRecord[]; nextSeq: number | null }> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  const events = await context.data.audit.list({
    tenantId: admin.tenantId,
    afterSeq: query.afterSeq,
    limit: query.limit + 1,
    ...(query.path === undefined ? {} : { path: query.path }),
    ...(query.event === undefined ? {} : { event: query.event }),
    ...(query.actor === undefined ? {} : { actor: query.actor }),
  });
  const items = events.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items, nextSeq: events.length > query.limit && last ? last.seq : null };
}

/** Checks the caller's tenant's audit chain end to end (admins only). */
export async function verifyAuditLog(
  context: VaultContext,
  actor: Actor,
): Promise<AuditVerification> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  return verifyTenantAuditChain(context, admin.tenantId);
}
