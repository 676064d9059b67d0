import { bootstrapKeyCheck } from "../bootstrap.js";
import { generateCredential, generateId, hashCredential } from "../crypto/credentials.js";
import type { Actor } from "./actor.js";
import {
  createAdminAction,
  deleteAdminAction,
  requireAdminApproval,
  spendAdminApproval,
} from "./admin-actions.js";
import type { AdminRecord } from "./records.js";
import { requireAdmin } from "./require-admin.js";
import { revokeTokens } from "./revoke-tokens.js";
import { runUnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";
import { conflict, notFound, shownId } from "./vault-error.js";

/** A new admin and its key (shown once). */
export type CreatedAdmin = { admin: AdminRecord; apiKey: string };

/** A new tenant, its first admin and that admin's key (shown once). */
export type CreatedTenant = {
  tenantId: string;
  name: string;
  adminId: string;
  adminKey: string;
  createdAt: string;
};

/**
 * Creates a named admin (an approver) in the caller's tenant (admins only). While the tenant has
 * one admin, at once; from two on, only under a second admin's approval (admin-actions.ts):
 * the first call answers 202 APPROVAL_PENDING, the same call once approved creates it.
 */
export async function createAdmin(
  context: VaultContext,
  actor: Actor,
  name: string,
): Promise<CreatedAdmin> {
  const caller = await requireAdmin(context, actor.origin, actor.principal);
  const approvalId = await requireAdminApproval(
    context,
    actor.origin,
    caller,
    createAdminAction(name),
  );
  const apiKey = generateCredential("admin");
  const admin: AdminRecord = {
    id: generateId("adm_"),
    tenantId: caller.tenantId,
    name,
    isOperator: false,
    createdAt: context.now().toISOString(),
  };
  await runUnitOfWork(context, { ...actor, principal: caller }, async (unit) => {
    await spendAdminApproval(unit, context, caller.tenantId, approvalId);
    await unit.stores.principals.insertAdmin({
      ...admin,
      keyHash: hashCredential(context.credentialHmacKey, apiKey),
    });
    await unit.audit({
      event: "admin.created",
      outcome: "success",
      detail: { admin_id: admin.id, approval_id: approvalId },
    });
  });
  return { admin, apiKey };
}

/** The caller's tenant's admins (admins only). */
export async function listAdmins(context: VaultContext, actor: Actor): Promise<AdminRecord[]> {
  const caller = await requireAdmin(context, actor.origin, actor.principal);
  return context.data.principals.listAdmins(caller.tenantId);
}

/**
 * Deletes an admin other than the caller: its key stops working, the tokens it issued are revoked,
 * and decisions it took part in that are still pending stop counting. Only the operator may delete
 * the operator's key. A two-person action like creating one (the first call answers 202 until
 * another admin approved; see admin-actions.ts).
 */
export async function deleteAdmin(
  context: VaultContext,
  actor: Actor,
  adminId: string,
): Promise<void> {
  const caller = await requireAdmin(context, actor.origin, actor.principal);
  if (adminId === caller.id) throw conflict("An admin cannot delete itself; use another admin key");
  const admins = await context.data.principals.listAdmins(caller.tenantId);
  const target = admins.find((admin) => admin.id === adminId);
  if (target === undefined) throw notFound(`No admin ${shownId(adminId)}`);
  if (target.isOperator) {
    // The operator's key is the only one that can make tenants: another admin cannot take it away.
    await requireAdmin(context, actor.origin, caller, { operator: true });
  }
  const approvalId = await requireAdminApproval(
    context,
    actor.origin,
    caller,
    deleteAdminAction(adminId, target.name),
  );
  const callerActor = { ...actor, principal: caller };
  const deleted = await runUnitOfWork(context, callerActor, async (unit) => {
    const at = context.now().toISOString();
    if (!(await unit.stores.principals.deleteAdmin(caller.tenantId, adminId, at))) return false;
    await spendAdminApproval(unit, context, caller.tenantId, approvalId);
    // A decision computed while this admin still counted must not land after it is gone.
    await unit.stores.approvals.invalidatePendingApprovedBy(caller.tenantId, adminId);
    // Tokens an admin issued are approved up to critical: they must not outlive its key.
    const revoked = await revokeTokens(unit, context, callerActor, {
      roots: await unit.stores.tokens.idsIssuedBy(caller.tenantId, adminId),
      auditEach: false,
      reason: "admin deleted",
      alsoEvict: [adminId],
    });
    await unit.audit({
      event: "admin.deleted",
      outcome: "success",
      detail: { admin_id: adminId, revoked_tokens: revoked.length, approval_id: approvalId },
    });
    return true;
  });
  if (!deleted) throw notFound(`No admin ${shownId(adminId)}`);
}

/** Creates a tenant and its first admin key (the operator only). */
export async function createTenant(
  context: VaultContext,
  actor: Actor,
  name: string,
): Promise<CreatedTenant> {
  const operator = await requireAdmin(context, actor.origin, actor.principal, { operator: true });
  const createdAt = context.now().toISOString();
  const tenantId = generateId("ten_");
  const adminId = generateId("adm_");
  const adminKey = generateCredential("admin");
  await runUnitOfWork(context, { ...actor, principal: operator }, async (unit) => {
    await unit.stores.principals.insertTenant({
      id: tenantId,
      name,
      keyCheck: bootstrapKeyCheck(context.vaultKey, tenantId),
      createdAt,
    });
    await unit.stores.principals.insertAdmin({
      id: adminId,
      tenantId,
      name: "admin",
      isOperator: false,
      createdAt,
      keyHash: hashCredential(context.credentialHmacKey, adminKey),
    });
    await unit.audit({
      event: "tenant.created",
      outcome: "success",
      detail: { tenant_id: tenantId, admin_id: adminId },
    });
  });
  return { tenantId, name, adminId, adminKey, createdAt };
}
