import {
  type AuditCheckpoint,
  checkpointSignatureValid,
  signCheckpoint,
} from "../audit/checkpoint.js";
import { deriveKey } from "../crypto/keys.js";
import type { Actor } from "./actor.js";
import { type AuditVerification, verifyTenantAuditChain } from "./audit-verification.js";
import type { AuditEventRecord } from "./records.js";
import { requireAdmin } from "./require-admin.js";
import { nowIso, type VaultContext } from "./vault-context.js";
import { validationError } from "./vault-error.js";

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

/**
 * Checks the caller's tenant's audit chain end to end (admins only), and that it still holds the
 * given checkpoints. A checkpoint whose signature is not the vault's, or that belongs to another
 * tenant, is refused (400): it proves nothing.
 */
export async function verifyAuditLog(
  context: VaultContext,
  actor: Actor,
  checkpoints: readonly AuditCheckpoint[] = [],
): Promise<AuditVerification> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  const key = checkpointKey(context);
  const issues = checkpoints.flatMap((checkpoint, index) => {
    if (checkpoint.tenant !== admin.tenantId) {
      return [{ field: `checkpoints[${index}].tenant`, message: "is not the caller's tenant" }];
    }
    if (!checkpointSignatureValid(key, checkpoint)) {
      return [
        {
          field: `checkpoints[${index}].signature`,
          message: "is not this vault's signature of the checkpoint (altered or forged)",
        },
      ];
    }
    return [];
  });
  if (issues.length > 0) throw validationError(issues);
  return verifyTenantAuditChain(context, admin.tenantId, checkpoints);
}

/** A signed checkpoint of the caller's tenant's chain head, now (admins only). */
export async function takeAuditCheckpoint(
  context: VaultContext,
  actor: Actor,
): Promise<AuditCheckpoint> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  const head = await context.data.audit.head(admin.tenantId);
  return signCheckpoint(checkpointKey(context), {
    tenant: admin.tenantId,
    seq: head.seq,
    head_hash: head.hash,
    at: nowIso(context),
  });
}

function checkpointKey(context: VaultContext): Buffer {
  return deriveKey(context.vaultKey, "audit-checkpoint");
}
