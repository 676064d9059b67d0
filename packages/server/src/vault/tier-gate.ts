import { highestTier, type Tier, tierAllows } from "@agentsecretstore/protocol";
import type { ApprovalRecord } from "../store/approvals-store.js";
import type { Origin } from "./actor.js";
import {
  announceApprovals,
  insertApprovalRequest,
  loadSettledApproval,
} from "./approval-decisions.js";
import { newApprovalRecord } from "./approval-view.js";
import { recordAudit } from "./audit-event.js";
import type { Principal } from "./principal.js";
import { runUnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";
import { approvalDenied, approvalPending } from "./vault-error.js";

/** The higher of two tiers (approval-policy.ts orders them). */
export function higherTier(left: Tier, right: Tier): Tier {
  return highestTier([left, right]);
}

function grantCovers(grant: ApprovalRecord | undefined, tier: Tier, nowIso: string): boolean {
  return (
    grant !== undefined &&
    grant.status === "approved" &&
    grant.grantExpiresAt !== null &&
    grant.grantExpiresAt > nowIso &&
    tierAllows(grant.tier, tier)
  );
}

/**
 * The read gate for tiers (docs/protocol.md, "Tiers and approvals"), the one place the tier rules
 * apply to a read, for every kind of credential. A token reads up to the tier it was approved
 * for; above that, 403 APPROVAL_DENIED. An agent key reading above standard, or an admin key
 * reading a critical secret, gets 202 with its pending request for the path (a new one if none),
 * until enough people approve; then the grant lasts `agentGrantSeconds`. An admin counts as one
 * approver: it reads sensitive secrets directly, and a critical read needs one other admin (who
 * existed before the request) and the critical delay.
 */
export async function requireReadTier(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  path: string,
  tier: Tier,
): Promise<void> {
  if (tier === "standard") return;
  // The reading admin is the one approval a sensitive secret needs.
  if (principal.kind === "admin" && tier === "sensitive") return;
  if (principal.kind === "token") {
    if (tierAllows(principal.token.approvedTier, tier)) return;
    await recordAudit(context, origin, principal, principal.tenantId, {
      event: "secret.read",
      outcome: "denied",
      path,
      detail: { reason: "tier", tier, approved_tier: principal.token.approvedTier },
    });
    throw approvalDenied(
      `This token is approved for ${principal.token.approvedTier} secrets; the secret at ${path} is ${tier}. Request a new token whose scope covers it, and have it approved`,
    );
  }
  const nowIso = context.now().toISOString();
  const { approvals } = context.data;
  const grant = await approvals.findActiveGrant(principal.tenantId, principal.id, path, nowIso);
  if (grantCovers(grant, tier, nowIso)) return;
  // A pending request whose critical delay just ended becomes the grant; settle it to know.
  const pending = await approvals.findPendingRead(principal.tenantId, principal.id, path);
  const settled =
    pending && (await loadSettledApproval(context, principal.tenantId, pending.id))?.record;
  if (grantCovers(settled, tier, nowIso)) return;
  let approvalId: string | undefined =
    settled?.status === "pending" && tierAllows(settled.tier, tier) ? settled.id : undefined;
  if (approvalId === undefined) {
    approvalId = await runUnitOfWork(context, { principal, origin }, async (unit) => {
      const again = await unit.stores.approvals.findPendingRead(
        principal.tenantId,
        principal.id,
        path,
      );
      if (again !== undefined && again.id !== settled?.id && tierAllows(again.tier, tier)) {
        return again.id;
      }
      const record = newApprovalRecord(context, {
        tenantId: principal.tenantId,
        tier,
        scopes: [`secrets:read:${path}`],
        path,
        requestedByType: principal.kind,
        requestedById: principal.id,
        tokenId: null,
        description: `${principal.kind === "admin" ? "Admin" : "Agent"} read of ${path}`,
      });
      const announcement = await insertApprovalRequest(
        unit.stores,
        context,
        origin,
        principal,
        record,
      );
      unit.afterCommit(() => announceApprovals(context, [announcement]));
      return record.id;
    });
  }
  throw approvalPending(
    approvalId,
    principal.kind === "admin"
      ? `Reading the ${tier} secret at ${path} needs a second admin's approval; poll GET /v1/approvals/${approvalId}`
      : `Reading the ${tier} secret at ${path} needs a person's approval; poll GET /v1/approvals/${approvalId}`,
  );
}
