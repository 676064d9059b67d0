import { highestTier, type Tier } from "@agentsecretstore/protocol";
import type { ApprovalCall } from "../store/approvals-store.js";
import type { Actor } from "./actor.js";
import {
  announceApprovals,
  insertApprovalRequest,
  loadSettledApproval,
} from "./approval-decisions.js";
import { type ApprovalView, newApprovalRecord } from "./approval-view.js";
import { recordAudit } from "./audit-event.js";
import { runUnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";
import { approvalDenied, approvalPending, notFound } from "./vault-error.js";
import { waitForApprovalChange } from "./wait-for-approval.js";

/** How long an approved per-call request admits its call, from the moment it was approved. */
export const CALL_APPROVAL_ADMITS_SECONDS = 600;
/** The longest `Prefer: wait=N` a brokered call may wait for its approval. */
export const MAX_CALL_WAIT_SECONDS = 60;

/** What a brokered call that needs a per-call approval brings (docs/protocol.md, "Credential broker"). */
export type CallApprovalRequest = {
  /** `X-Approval-Id`: the approval of this very call, asked for by an earlier attempt. */
  approvalId: string | undefined;
  /** `Prefer: wait=N`: seconds to wait for a decision (at most {@link MAX_CALL_WAIT_SECONDS}). */
  waitSeconds: number;
  /** Aborts the wait when the caller hangs up. */
  hangUp?: AbortSignal;
  /**
   * Takes a place among the long-polls waiting at once (their per-credential and per-instance
   * caps) before waiting; throws the 429/503 when there is none. Returns the release.
   */
  holdWait?: () => () => void;
  /** Reads the call's body and digests the call (broker/call-digest.ts). */
  digest(): Promise<ApprovalCall>;
};

/** Until when an approved request admits its call. */
export function admitsUntil(view: ApprovalView): string | null {
  const decidedAt = view.record.decidedAt;
  if (view.record.status !== "approved" || decidedAt === null) return null;
  return new Date(Date.parse(decidedAt) + CALL_APPROVAL_ADMITS_SECONDS * 1000).toISOString();
}

function describeCall(call: ApprovalCall, path: string): string {
  return `Brokered call with ${path}: ${call.method} ${call.url} (body ${call.bodyBytes} bytes, sha256 ${call.bodySha256})`;
}

async function openRequest(
  context: VaultContext,
  actor: Actor,
  path: string,
  tier: Tier,
  call: ApprovalCall,
): Promise<ApprovalView> {
  const { principal } = actor;
  return runUnitOfWork(context, actor, async (unit) => {
    const record = newApprovalRecord(context, {
      tenantId: principal.tenantId,
      tier,
      scopes: [`secrets:use:${path}`],
      // No path: a per-call request is never an agent's read grant for the secret.
      path: null,
      requestedByType: principal.kind,
      requestedById: principal.id,
      tokenId: null,
      description: describeCall(call, path),
      call,
    });
    const announcement = await insertApprovalRequest(
      unit.stores,
      context,
      actor.origin,
      principal,
      record,
      { kind: "call", secret_path: path, method: call.method, body_sha256: call.bodySha256 },
    );
    unit.afterCommit(() => announceApprovals(context, [announcement]));
    return announcement.view;
  });
}

/**
 * The per-call approval gate of a brokered call (issue 18, item 4): without `X-Approval-Id`, a
 * new approval request showing the call (method, masked URL, body digest and preview) is opened;
 * with it, that request must be the caller's and bound to this very call (same hash of method,
 * route, path, query and body). A pending request answers 202 `APPROVAL_PENDING` (after waiting
 * up to `Prefer: wait=N` for a decision); an approved one admits the call once, within
 * {@link CALL_APPROVAL_ADMITS_SECONDS} of its approval; anything else is 403. Refusals are
 * audited `secret.used` `denied`.
 */
export async function requireCallApproval(
  context: VaultContext,
  actor: Actor,
  path: string,
  secretTier: Tier,
  request: CallApprovalRequest,
): Promise<void> {
  const { principal, origin } = actor;
  const call = await request.digest();
  const refuse = async (reason: string, message: string): Promise<never> => {
    await recordAudit(context, origin, principal, principal.tenantId, {
      event: "secret.used",
      outcome: "denied",
      path,
      detail: { reason, route: call.route, method: call.method },
    });
    throw approvalDenied(message);
  };
  let view: ApprovalView;
  if (request.approvalId === undefined) {
    // At least one person: a standard secret's call needs an approval too.
    const tier = highestTier([secretTier, "sensitive"]);
    view = await openRequest(context, actor, path, tier, call);
  } else {
    const found = await loadSettledApproval(context, principal.tenantId, request.approvalId);
    if (
      found === undefined ||
      found.record.call === null ||
      found.record.requestedById !== principal.id
    ) {
      throw notFound(`No per-call approval ${request.approvalId} of this credential`);
    }
    if (found.record.call.hash !== call.hash) {
      return refuse(
        "approval_other_call",
        `Approval ${request.approvalId} was given for another call (its method, URL or body differ): send that exact call, or this one without X-Approval-Id to ask anew`,
      );
    }
    view = found;
  }
  const id = view.record.id;
  if (view.record.status === "pending" && request.waitSeconds > 0) {
    const wait = Math.min(request.waitSeconds, MAX_CALL_WAIT_SECONDS);
    const release = request.holdWait?.();
    try {
      view = await waitForApprovalChange(context, view, wait, request.hangUp);
    } finally {
      release?.();
    }
  }
  switch (view.record.status) {
    case "pending":
      throw approvalPending(
        id,
        `This call needs a person's approval (per_call): once approved, send the identical call again with X-Approval-Id: ${id}, or wait for it with Prefer: wait=${MAX_CALL_WAIT_SECONDS}`,
      );
    case "approved": {
      const until = admitsUntil(view);
      const now = context.now().toISOString();
      if (until === null || until <= now) {
        return refuse(
          "approval_expired",
          `Approval ${id} admitted its call until ${until}; ask anew`,
        );
      }
      if (!(await context.data.approvals.markCallUsed(principal.tenantId, id, now))) {
        return refuse(
          "approval_used",
          `Approval ${id} admitted one call, and it was made; ask anew`,
        );
      }
      return;
    }
    default:
      return refuse("approval_denied", `Approval ${id} of this call is ${view.record.status}`);
  }
}
