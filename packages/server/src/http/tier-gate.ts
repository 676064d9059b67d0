import type { FastifyRequest } from "fastify";
import { generateId } from "../crypto/credentials.js";
import type { Tier } from "../db/schema.js";
import { approvalDenied, approvalPending } from "./api-error.js";
import { appendAudit, recordAudit } from "./audit-event.js";
import type { Principal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";

const RANK: Record<Tier, number> = { standard: 0, sensitive: 1, critical: 2 };

export function tierRank(tier: Tier): number {
  return RANK[tier];
}

export function higherTier(left: Tier, right: Tier): Tier {
  return RANK[left] >= RANK[right] ? left : right;
}

/** API.md: sensitive needs one approval, critical two by different approvers. */
export function requiredApprovalsFor(tier: Tier): number {
  return tier === "critical" ? 2 : 1;
}

/**
 * The read gate for tiers (API.md, "Approvals"). Admin keys read anything. A token reads up to
 * the tier it was approved for; above that, 403 APPROVAL_DENIED. An agent key reading above
 * standard gets 202 with its pending request for the path (a new one if none), until a person
 * approves; then the grant lasts `agentGrantSeconds`.
 */
export async function requireReadTier(
  context: VaultContext,
  request: FastifyRequest,
  principal: Principal,
  path: string,
  tier: Tier,
): Promise<void> {
  if (principal.kind === "admin" || tier === "standard") return;
  if (principal.kind === "token") {
    if (tierRank(principal.token.approvedTier) >= tierRank(tier)) return;
    await recordAudit(context, request, principal, principal.tenantId, {
      event: "secret.read",
      outcome: "denied",
      path,
      detail: { reason: "tier", tier, approved_tier: principal.token.approvedTier },
    });
    throw approvalDenied(
      `This token is approved for ${principal.token.approvedTier} secrets; the secret at ${path} is ${tier}. Request a new token whose scope covers it, and have it approved`,
    );
  }
  const now = context.now().toISOString();
  const { approvals } = context.data;
  if (await approvals.findActiveGrant(principal.tenantId, principal.id, path, now)) return;
  const approvalId = await context.data.transaction(async (stores) => {
    const pending = await stores.approvals.findPendingRead(principal.tenantId, principal.id, path);
    if (pending !== undefined) return pending.id;
    const id = generateId("apr_");
    await stores.approvals.insert({
      id,
      tenantId: principal.tenantId,
      status: "pending",
      tier,
      scopes: [`secrets:read:${path}`],
      path,
      requestedByType: "agent",
      requestedById: principal.id,
      tokenId: null,
      description: `Agent read of ${path}`,
      requiredApprovals: requiredApprovalsFor(tier),
      eligibleAt: null,
      decidedAt: null,
      grantExpiresAt: null,
      createdAt: now,
    });
    await appendAudit(stores, context, request, principal, {
      event: "approval.requested",
      outcome: "pending",
      path,
      detail: { approval_id: id, tier },
    });
    return id;
  });
  throw approvalPending(
    approvalId,
    `Reading the ${tier} secret at ${path} needs a person's approval; poll GET /v1/approvals/${approvalId}`,
  );
}
