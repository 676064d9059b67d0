import {
  type ApprovalAction,
  type ApprovalOutcome,
  type ApprovalRejection,
  type ApprovalState,
  decideApproval,
  settleApproval,
} from "../approvals/approval-policy.js";
import type { WebhookEventType } from "../approvals/webhook-event.js";
import { generateId } from "../crypto/credentials.js";
import type { ApprovalDecisionRecord, ApprovalRecord } from "../store/approvals-store.js";
import type { Stores } from "../store/stores.js";
import type { Origin } from "./actor.js";
import { type ApprovalView, fieldsFor, policyStateOf } from "./approval-view.js";
import { appendAudit } from "./audit-event.js";
import { enqueueApprovalEvent } from "./enqueue-approval-event.js";
import type { Principal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";
import { VaultError } from "./vault-error.js";

/** A committed change, to tell long-polls and the webhook about once the transaction is over. */
export type ApprovalAnnouncement = { view: ApprovalView; type: WebhookEventType };

/** What a person can do to a request (expiry is the clock's). */
export type PersonAction = Exclude<ApprovalAction, { type: "expire" }>;

/** Thrown inside a transaction when another decision changed the row first: roll back, retry. */
class ApprovalRaceLost extends Error {}

const MAX_ATTEMPTS = 5;

const WEBHOOK_TYPE: Record<ApprovalOutcome, WebhookEventType> = {
  recorded: "approval.granted",
  delayed: "approval.granted",
  approved: "approval.granted",
  denied: "approval.denied",
  cancelled: "approval.cancelled",
  expired: "approval.expired",
};

/** Records whose stored delay {@link approvalViewOf} ended: the row still has to be told. */
const withdrawnDelays = new WeakSet<ApprovalRecord>();

/**
 * A request with the approvals that count: an approval stops counting when its admin is deleted
 * while the request is still pending (a deleted admin's say must not open a secret later), also
 * during a critical delay, which then ends until another admin approves. Approvals by admins
 * deleted after the request was decided stay in its history. The row forgets an ended delay at
 * its next settlement or decision.
 */
export function approvalViewOf(
  record: ApprovalRecord,
  decisions: readonly ApprovalDecisionRecord[],
): ApprovalView {
  const decidedAt = record.status === "pending" ? null : record.decidedAt;
  const approvals = decisions.filter(
    (entry) =>
      entry.approverDeletedAt === null ||
      (decidedAt !== null && Date.parse(entry.approverDeletedAt) >= Date.parse(decidedAt)),
  );
  if (approvals.length === decisions.length) return { record, approvals };
  const stillEligible = record.eligibleAt === null || approvals.length >= record.requiredApprovals;
  if (record.status !== "pending" || stillEligible) return { record, approvals };
  const withdrawn = { ...record, eligibleAt: null };
  withdrawnDelays.add(withdrawn);
  return { record: withdrawn, approvals };
}

/** Loads a request and the approvals that count (inside or outside a transaction). */
export async function loadApprovalView(
  stores: Stores,
  tenantId: string,
  approvalId: string,
): Promise<ApprovalView | undefined> {
  const record = await stores.approvals.findById(tenantId, approvalId);
  if (record === undefined) return undefined;
  return approvalViewOf(record, await stores.approvals.listDecisions(tenantId, approvalId));
}

/**
 * Runs `attempt` (which opens its own transaction) again from the start when a racing decision
 * changed the row first: possible across instances on PostgreSQL; SQLite serializes transactions.
 */
export async function retryApprovalRaces<T>(attempt: () => Promise<T>): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApprovalRaceLost)) throw error;
      if (attemptNumber >= MAX_ATTEMPTS) {
        throw new VaultError("CONFLICT", "The approval request kept changing; retry");
      }
    }
  }
}

/** Runs decision work in a transaction, retried when a racing decision won. */
export function inApprovalTransaction<T>(
  context: VaultContext,
  work: (stores: Stores) => Promise<T>,
): Promise<T> {
  return retryApprovalRaces(() => context.data.transaction(work));
}

/**
 * Stores a new policy state with a conditional write, applies it to the gated token, and reloads.
 * Throws {@link ApprovalRaceLost} when someone else decided first.
 */
async function writeState(
  stores: Stores,
  context: VaultContext,
  view: ApprovalView,
  next: ApprovalState,
  extra: { approvedBy?: string; comment?: string | null } = {},
): Promise<ApprovalView> {
  const { record } = view;
  const comment = extra.approvedBy === undefined ? extra.comment : undefined;
  const fields = fieldsFor(record, next, context.agentGrantSeconds, comment);
  const won = await stores.approvals.updateIfUnchanged(
    record.tenantId,
    record.id,
    record.version,
    fields,
  );
  if (!won) throw new ApprovalRaceLost();
  if (extra.approvedBy !== undefined) {
    await stores.approvals.insertApproval({
      approvalId: record.id,
      tenantId: record.tenantId,
      adminId: extra.approvedBy,
      comment: extra.comment ?? null,
      at: context.now().toISOString(),
    });
  }
  if (record.tokenId !== null && fields.status !== "pending") {
    await stores.tokens.settleApproval(
      record.tenantId,
      record.tokenId,
      fields.status === "approved"
        ? { status: "approved", approvedTier: record.tier }
        : { status: "denied" },
    );
  }
  const reloaded = await loadApprovalView(stores, record.tenantId, record.id);
  if (reloaded === undefined) throw new ApprovalRaceLost();
  return reloaded;
}

/**
 * Inside a transaction: makes a request whose time came durable (approved at the end of a
 * critical delay, or expired), with its audit event by the system. Up-to-date requests are
 * returned as they are.
 */
export async function settleInTransaction(
  stores: Stores,
  context: VaultContext,
  view: ApprovalView,
): Promise<{ view: ApprovalView; announcements: ApprovalAnnouncement[] }> {
  const state = policyStateOf(view);
  const settled = settleApproval(state, context.now());
  if (settled === state) return { view, announcements: [] };
  const next = await writeState(stores, context, view, settled);
  const type: WebhookEventType =
    settled.status === "approved" ? "approval.granted" : "approval.expired";
  await stores.audit.append({
    id: generateId("evt_"),
    at: context.now().toISOString(),
    tenantId: view.record.tenantId,
    event: type,
    actorType: "system",
    actorId: null,
    tokenId: null,
    path: view.record.path,
    version: null,
    ip: null,
    outcome: "success",
    requestId: null,
    detail: {
      approval_id: view.record.id,
      reason: settled.status === "approved" ? "delay_elapsed" : "expired",
    },
  });
  await enqueueApprovalEvent(stores, context, next, type);
  return { view: next, announcements: [{ view: next, type }] };
}

/** What {@link applyApprovalAction} did. */
export type ApprovalActionResult =
  | {
      ok: true;
      view: ApprovalView;
      outcome: ApprovalOutcome;
      announcements: ApprovalAnnouncement[];
    }
  | {
      ok: false;
      view: ApprovalView;
      rejection: ApprovalRejection;
      announcements: ApprovalAnnouncement[];
    };

/**
 * Inside a transaction: settles the request, then applies a person's action through the policy
 * (approval-policy.ts) and records it with its audit event. A refused action changes nothing but
 * the settlement; the caller records the refusal after the transaction.
 */
export async function applyApprovalAction(
  stores: Stores,
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  view: ApprovalView,
  action: PersonAction,
  comment: string | null,
): Promise<ApprovalActionResult> {
  const settled = await settleInTransaction(stores, context, view);
  const decision = decideApproval(
    policyStateOf(settled.view),
    action,
    context.now(),
    context.approvalPolicy,
  );
  if (!decision.ok) {
    return {
      ok: false,
      view: settled.view,
      rejection: decision.rejection,
      announcements: settled.announcements,
    };
  }
  const next = await writeState(stores, context, settled.view, decision.state, {
    ...(action.type === "approve" ? { approvedBy: action.by } : {}),
    comment,
  });
  const type = WEBHOOK_TYPE[decision.outcome];
  await appendAudit(stores, context, origin, principal, {
    event: type,
    outcome:
      decision.outcome === "recorded" || decision.outcome === "delayed" ? "pending" : "success",
    path: next.record.path,
    detail: {
      approval_id: next.record.id,
      outcome: decision.outcome,
      approvals: next.approvals.length,
      required_approvals: next.record.requiredApprovals,
      eligible_at: next.record.eligibleAt,
    },
  });
  await enqueueApprovalEvent(stores, context, next, type);
  return {
    ok: true,
    view: next,
    outcome: decision.outcome,
    announcements: [...settled.announcements, { view: next, type }],
  };
}

/**
 * After commit: wakes long-polls, nudges the webhook deliverer (the events are in the outbox
 * already, committed with the change), and arms the timer that settles a critical request when
 * its delay ends. Never throws and never waits: a failing webhook blocks nothing.
 */
export function announceApprovals(
  context: VaultContext,
  announcements: readonly ApprovalAnnouncement[],
): void {
  if (announcements.length > 0) context.webhookOutbox.wake();
  for (const { view } of announcements) {
    const { record } = view;
    context.approvalEvents.publish({
      tenantId: record.tenantId,
      approvalId: record.id,
      status: record.status,
    });
    if (record.status === "pending" && record.eligibleAt !== null) {
      context.approvalTimers.schedule(record.tenantId, record.id, new Date(record.eligibleAt));
    }
  }
}

/**
 * The request brought up to date: when its time has come, the settlement is written (once, however
 * many readers race) and announced; a critical delay that ended because an approver was deleted
 * is cleared from the row, so it is no longer due. Undefined when there is no such request in the
 * tenant.
 */
export async function loadSettledApproval(
  context: VaultContext,
  tenantId: string,
  approvalId: string,
): Promise<ApprovalView | undefined> {
  const view = await loadApprovalView(context.data, tenantId, approvalId);
  if (view === undefined) return undefined;
  const state = policyStateOf(view);
  if (settleApproval(state, context.now()) === state && !delayWithdrawn(view)) {
    return view;
  }
  const result = await inApprovalTransaction(context, async (stores) => {
    const fresh = await loadApprovalView(stores, tenantId, approvalId);
    if (fresh === undefined) return undefined;
    const freshState = policyStateOf(fresh);
    if (settleApproval(freshState, context.now()) === freshState) {
      if (!delayWithdrawn(fresh)) return { view: fresh, announcements: [] };
      return { view: await writeState(stores, context, fresh, freshState), announcements: [] };
    }
    return settleInTransaction(stores, context, fresh);
  });
  if (result === undefined) return undefined;
  announceApprovals(context, result.announcements);
  return result.view;
}

/** Whether the stored row still has a delay that {@link approvalViewOf} ended. */
function delayWithdrawn(view: ApprovalView): boolean {
  return withdrawnDelays.has(view.record);
}

/**
 * Inside a transaction: stores a new request with its `approval.requested` audit event; announce
 * the result after commit.
 */
export async function insertApprovalRequest(
  stores: Stores,
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  record: ApprovalRecord,
  detail: Record<string, string | null> = {},
): Promise<ApprovalAnnouncement> {
  await stores.approvals.insert(record);
  await appendAudit(stores, context, origin, principal, {
    event: "approval.requested",
    outcome: "pending",
    path: record.path,
    detail: { approval_id: record.id, tier: record.tier, ...detail },
  });
  const view: ApprovalView = { record, approvals: [] };
  await enqueueApprovalEvent(stores, context, view, "approval.requested");
  return { view, type: "approval.requested" };
}

/**
 * Inside a transaction: cancels the given pending requests on behalf of `principal` (an agent
 * deleted, tokens revoked). Requests no longer pending are skipped.
 */
export async function cancelApprovals(
  stores: Stores,
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  approvalIds: readonly string[],
  comment: string,
): Promise<ApprovalAnnouncement[]> {
  const announcements: ApprovalAnnouncement[] = [];
  for (const approvalId of approvalIds) {
    const view = await loadApprovalView(stores, principal.tenantId, approvalId);
    if (view === undefined) continue;
    const result = await applyApprovalAction(
      stores,
      context,
      origin,
      principal,
      view,
      { type: "cancel", by: principal.id },
      comment,
    );
    announcements.push(...result.announcements);
  }
  return announcements;
}
