import type { ApprovalRejection, ApprovalStatus } from "../approvals/approval-policy.js";
import type { Actor, Origin } from "./actor.js";
import {
  type ApprovalAnnouncement,
  announceApprovals,
  applyApprovalAction,
  approvalViewOf,
  loadApprovalView,
  loadSettledApproval,
  type PersonAction,
  retryApprovalRaces,
} from "./approval-decisions.js";
import { type ApprovalBody, type ApprovalView, toApprovalBody } from "./approval-view.js";
import { recordAudit } from "./audit-event.js";
import type { Principal } from "./principal.js";
import type { ApprovalRecord, StoredResponse } from "./records.js";
import { requireAdmin } from "./require-admin.js";
import type { VaultContext } from "./vault-context.js";
import { notFound, shownId, VaultError } from "./vault-error.js";
import { idempotentWrite } from "./write-secret.js";

/** How many overdue requests one listing settles before it lists. */
const SETTLE_BATCH = 500;

const ACTION_EVENT: Record<PersonAction["type"], string> = {
  approve: "approval.granted",
  deny: "approval.denied",
  cancel: "approval.cancelled",
};

/** The requester (agent, admin or token that asked), the pending token itself, or an admin. */
function mayView(principal: Principal, approval: ApprovalRecord): boolean {
  if (principal.kind === "admin") return true;
  if (approval.requestedById === principal.id) return true;
  return principal.kind === "token" && approval.tokenId === principal.id;
}

/** Thrown inside the transaction when the policy refuses an action: nothing is committed. */
class DecisionRefused extends Error {
  constructor(
    readonly rejection: ApprovalRejection,
    readonly path: string | null,
  ) {
    super(rejection.message);
  }
}

/**
 * Applies a person's action in a transaction (a conditional write: of two racing decisions one
 * wins), announces it after commit, and answers with the request. With an `Idempotency-Key`, a
 * retry gets the first answer again instead of a refusal. A refusal by the policy (the same
 * approver twice, a request already decided…) is recorded and answered 409 CONFLICT with the
 * policy's `reason`.
 */
async function decide(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  approvalId: string,
  action: PersonAction,
  comment: string | null,
  idempotencyKey: string | undefined,
): Promise<ApprovalBody> {
  let announcements: ApprovalAnnouncement[] = [];
  let response: StoredResponse;
  try {
    response = await retryApprovalRaces(() =>
      idempotentWrite(
        context,
        principal,
        idempotencyKey,
        { method: "POST", action: action.type, approvalId, comment },
        async (stores) => {
          announcements = [];
          const view = await loadApprovalView(stores, principal.tenantId, approvalId);
          if (view === undefined || !mayView(principal, view.record)) {
            throw notFound(`No approval request ${shownId(approvalId)} visible to this credential`);
          }
          const result = await applyApprovalAction(
            stores,
            context,
            origin,
            principal,
            view,
            action,
            comment,
          );
          if (!result.ok) throw new DecisionRefused(result.rejection, view.record.path);
          announcements = result.announcements;
          const body = toApprovalBody(result.view, context.now(), context.agentGrantSeconds);
          return { statusCode: 200, body };
        },
      ),
    );
  } catch (error) {
    if (!(error instanceof DecisionRefused)) throw error;
    // Recorded after the rollback: the audit batcher needs the connection the transaction held.
    await recordAudit(context, origin, principal, principal.tenantId, {
      event: ACTION_EVENT[action.type],
      outcome: "denied",
      path: error.path,
      detail: { approval_id: approvalId, reason: error.rejection.reason },
    });
    throw refusal(error.rejection);
  }
  announceApprovals(context, announcements);
  return response.body as ApprovalBody;
}

function refusal(rejection: ApprovalRejection): VaultError {
  return new VaultError("CONFLICT", rejection.message, {
    reason: rejection.reason,
    ...(rejection.reason === "not_pending" ? { status: rejection.status } : {}),
    ...(rejection.reason === "already_decided"
      ? { eligible_at: rejection.eligibleAt.toISOString() }
      : {}),
  });
}

/** What a listing of approval requests is filtered by; `after` is where the previous page ended. */
export type ApprovalQuery = {
  status?: ApprovalStatus;
  after: { createdAt: string; id: string } | null;
  limit: number;
};

/**
 * One page of the caller's tenant's approval requests, oldest first, as they stand now: requests
 * whose critical delay ended or that expired are settled before listing (admins only).
 */
export async function listApprovals(
  context: VaultContext,
  actor: Actor,
  query: ApprovalQuery,
): Promise<{ items: ApprovalView[]; hasMore: boolean }> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  const now = context.now().toISOString();
  for (const id of await context.data.approvals.listDueIds(admin.tenantId, now, SETTLE_BATCH)) {
    await loadSettledApproval(context, admin.tenantId, id);
  }
  const records = await context.data.approvals.list({
    tenantId: admin.tenantId,
    ...(query.status === undefined ? {} : { status: query.status }),
    after: query.after,
    limit: query.limit + 1,
  });
  const items: ApprovalView[] = [];
  for (const record of records.slice(0, query.limit)) {
    items.push(
      approvalViewOf(record, await context.data.approvals.listDecisions(admin.tenantId, record.id)),
    );
  }
  return { items, hasMore: records.length > query.limit };
}

/** A request as it stands now, for its requester, its pending token or an admin; else 404. */
export async function viewApproval(
  context: VaultContext,
  actor: Actor,
  approvalId: string,
): Promise<ApprovalView> {
  const { principal } = actor;
  const view = await loadSettledApproval(context, principal.tenantId, approvalId);
  if (view === undefined || !mayView(principal, view.record)) {
    throw notFound(`No approval request ${shownId(approvalId)} visible to this credential`);
  }
  return view;
}

/** When an approving admin was created: one created after a request cannot approve it. */
async function approverSince(
  context: VaultContext,
  tenantId: string,
  adminId: string,
): Promise<{ approverCreatedAt?: Date }> {
  const approver = await context.data.principals.findAdmin(tenantId, adminId);
  return approver === undefined ? {} : { approverCreatedAt: new Date(approver.createdAt) };
}

/**
 * A person's approve, deny or cancel: approve and deny need an admin; cancel may come from the
 * requester too. Answers with the request's wire body (stored for `Idempotency-Key` retries).
 */
export async function decideApprovalRequest(
  context: VaultContext,
  actor: Actor,
  decision: {
    type: PersonAction["type"];
    approvalId: string;
    comment: string | null;
    idempotencyKey: string | undefined;
  },
): Promise<ApprovalBody> {
  const principal =
    decision.type === "cancel"
      ? actor.principal
      : await requireAdmin(context, actor.origin, actor.principal);
  const action: PersonAction =
    decision.type === "approve"
      ? {
          type: "approve",
          by: principal.id,
          comment: decision.comment,
          ...(await approverSince(context, principal.tenantId, principal.id)),
        }
      : { type: decision.type, by: principal.id };
  return decide(
    context,
    actor.origin,
    principal,
    decision.approvalId,
    action,
    decision.comment,
    decision.idempotencyKey,
  );
}
