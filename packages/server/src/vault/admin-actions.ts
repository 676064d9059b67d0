import type { Origin } from "./actor.js";
import {
  announceApprovals,
  insertApprovalRequest,
  loadSettledApproval,
} from "./approval-decisions.js";
import { newApprovalRecord } from "./approval-view.js";
import type { Principal } from "./principal.js";
import type { UnitOfWork } from "./unit-of-work.js";
import { runUnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";
import { approvalPending, conflict } from "./vault-error.js";

/**
 * What changes who may approve: creating an admin (`admins:create:<name>`) or deleting one
 * (`admins:delete:<admin id>`). The scope is what the approval request lists in `scopes`.
 */
export type AdminAction = { scope: string; description: string };

/** The admin action that creates an admin called `name`. */
export function createAdminAction(name: string): AdminAction {
  return { scope: `admins:create:${name}`, description: `Create the admin "${name}"` };
}

/** The admin action that deletes the admin `adminId`. */
export function deleteAdminAction(adminId: string, name: string): AdminAction {
  return {
    scope: `admins:delete:${adminId}`,
    description: `Delete the admin "${name}" (${adminId})`,
  };
}

/**
 * The approval an admin action goes ahead under: `null` while the tenant has fewer than two admins
 * (the single operator makes the second one directly), else the id of the caller's approved
 * request for exactly this action, to spend with {@link spendAdminApproval} in the transaction
 * that carries the action out. Without one, the caller's pending request for it (a new one if
 * none: tier critical, the caller counting as the first of the two people, so one other admin who
 * existed before the request approves; no critical delay, as nothing is read) is answered 202
 * APPROVAL_PENDING; the caller retries the same call once it is approved.
 */
export async function requireAdminApproval(
  context: VaultContext,
  origin: Origin,
  caller: Extract<Principal, { kind: "admin" }>,
  action: AdminAction,
): Promise<string | null> {
  const admins = await context.data.principals.listAdmins(caller.tenantId);
  if (admins.length < 2) return null;
  const nowIso = context.now().toISOString();
  const open = await context.data.approvals.findOpenAdminAction(
    caller.tenantId,
    caller.id,
    action.scope,
    nowIso,
  );
  // A pending request whose critical delay just ended becomes approved; settle it to know.
  const settled = open && (await loadSettledApproval(context, caller.tenantId, open.id))?.record;
  if (settled?.status === "approved" && settled.grantExpiresAt !== null) {
    if (settled.grantExpiresAt > nowIso) return settled.id;
  }
  let approvalId = settled?.status === "pending" ? settled.id : undefined;
  if (approvalId === undefined) {
    approvalId = await runUnitOfWork(context, { principal: caller, origin }, async (unit) => {
      const record = newApprovalRecord(context, {
        tenantId: caller.tenantId,
        tier: "critical",
        scopes: [action.scope],
        path: null,
        requestedByType: "admin",
        requestedById: caller.id,
        tokenId: null,
        description: action.description,
      });
      const announcement = await insertApprovalRequest(
        unit.stores,
        context,
        origin,
        caller,
        record,
        { action: action.scope },
      );
      unit.afterCommit(() => announceApprovals(context, [announcement]));
      return record.id;
    });
  }
  throw approvalPending(
    approvalId,
    `With two or more admins, this needs a second admin's approval (${action.description}); once GET /v1/approvals/${approvalId} is approved, make the same call again`,
  );
}

/**
 * Inside the action's transaction: spends the approval {@link requireAdminApproval} returned. A
 * second retry racing the first finds it spent: 409, nothing done. For `null` (the tenant had one
 * admin), counts the admins again under the tenant's audit-chain lock, which every admin change
 * takes: two racing calls of a lone admin cannot both add an admin directly (the later one is 409,
 * and its retry asks for an approval).
 */
export async function spendAdminApproval(
  unit: UnitOfWork,
  context: VaultContext,
  tenantId: string,
  approvalId: string | null,
): Promise<void> {
  if (approvalId === null) {
    await unit.stores.audit.head(tenantId, { forUpdate: true });
    if ((await unit.stores.principals.listAdmins(tenantId)).length >= 2) {
      throw conflict(
        "Another admin was added meanwhile: with two or more admins this needs a second admin's approval; make the same call again",
      );
    }
    return;
  }
  const spent = await unit.stores.approvals.spendGrant(
    tenantId,
    approvalId,
    context.now().toISOString(),
  );
  if (!spent) {
    throw conflict(`The approval ${approvalId} was already used; request the action again`);
  }
}
