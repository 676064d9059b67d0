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

/**
 * The hosted product's paging of the audit log: page `page` (from 1) of `limit` events, newest
 * first, with the number of matching events (admins only).
 */
export async function listAuditPage(
  context: VaultContext,
  actor: Actor,
  query: Omit<AuditQuery, "afterSeq"> & { page: number },
): Promise<{ items: AuditEventRecord[]; total: number }> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  const filter = {
    tenantId: admin.tenantId,
    ...(query.path === undefined ? {} : { path: query.path }),
    ...(query.event === undefined ? {} : { event: query.event }),
    ...(query.actor === undefined ? {} : { actor: query.actor }),
  };
  const [items, total] = await Promise.all([
    context.data.audit.list({
      ...filter,
      afterSeq: null,
      limit: query.limit,
      newestFirst: true,
      offset: (query.page - 1) * query.limit,
    }),
    context.data.audit.count(filter),
  ]);
  return { items, total };
}

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
