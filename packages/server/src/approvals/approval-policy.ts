/**
 * The approval rules of docs/protocol.md ("Tiers and approvals"), as pure functions of a request's state, an action
 * and the time. No I/O: the caller loads the state, applies an action here, and stores the result
 * with a conditional write (status still `pending`) so that two racing decisions cannot both win.
 */

import type { ApprovalStatus, Tier } from "@agentsecretstore/protocol";

/** How much human approval reading a secret takes: the protocol's {@link Tier}. */
export type ApprovalTier = Tier;

export type { ApprovalStatus };

/** One approver's approval of a request. */
export type ApprovalEntry = {
  /** The approver's id (an admin id). */
  by: string;
  /** When the approval was given. */
  at: Date;
  /** What the approver wrote, or `null`. */
  comment: string | null;
};

/**
 * What the policy needs to know about an approval request. Extra fields (ids, scopes, paths)
 * may ride along: {@link decideApproval} returns them unchanged.
 */
export type ApprovalState = {
  /** The stored status. Read {@link effectiveStatus} to know the status at a given time. */
  status: ApprovalStatus;
  /** The tier being asked for (the highest tier the request covers). */
  tier: ApprovalTier;
  /** Approvals so far, oldest first, at most one per approver. */
  approvals: readonly ApprovalEntry[];
  /** Who asked (an agent, admin or token id). Never approves this request itself. */
  requesterId: string;
  /**
   * The requester is a person (an admin): asking counts as one of the tier's approvals, so a
   * sensitive request needs nobody else and a critical one one other admin (two people in all).
   * Absent or false for agents and tokens.
   */
  requesterApproves?: boolean;
  /**
   * Takes effect at its last approval, without the critical delay: an admin action (creating or
   * deleting an admin), which the requester carries out itself afterwards. Absent or false for
   * reads and tokens.
   */
  immediate?: boolean;
  /**
   * When the request was made: an approver whose key was created later cannot approve it (a
   * requester cannot make a second admin to approve its own request). Absent: no such check.
   */
  createdAt?: Date;
  /** When a request that is still pending stops being decidable and counts as expired. */
  expiresAt: Date;
  /**
   * When an approved request takes effect: set once the last required approval is in; for
   * `critical` that is the second approval's time plus the delay. `null` until then.
   */
  eligibleAt: Date | null;
  /** When the request reached its final status; `null` while pending. */
  decidedAt: Date | null;
  /** Who denied or cancelled the request; `null` otherwise. */
  decidedBy: string | null;
};

/** Timing rules of the policy. */
export type ApprovalPolicyConfig = {
  /**
   * How long a critical request waits, after its second approval, before it takes effect; anyone
   * allowed to cancel may cancel during this time. In seconds; `0` approves at once.
   * @default 300
   */
  criticalDelaySeconds?: number;
  /**
   * How long a new request stays open for approval before it expires, in seconds.
   * @default 86400 (24 hours)
   */
  requestTtlSeconds?: number;
};

/** Something a person (or the clock) does to a request. */
export type ApprovalAction =
  | {
      type: "approve";
      by: string;
      comment?: string | null;
      /** When the approver's admin key was created (compared with the request's `createdAt`). */
      approverCreatedAt?: Date;
    }
  | { type: "deny"; by: string; comment?: string | null }
  | { type: "cancel"; by: string }
  | { type: "expire" };

/** Why an action was refused. Messages name no credential and no secret. */
export type ApprovalRejection =
  | {
      /** The request already reached a final status (at the time of the action). */
      reason: "not_pending";
      status: Exclude<ApprovalStatus, "pending">;
      message: string;
    }
  | {
      /** A critical request already has both approvals and is waiting out its delay. */
      reason: "already_decided";
      eligibleAt: Date;
      message: string;
    }
  | { reason: "self_approval"; message: string }
  | {
      /** The approver's admin was created after the request was made. */
      reason: "approver_too_new";
      message: string;
    }
  | { reason: "same_approver_twice"; message: string }
  | {
      /** `expire` before the request's `expiresAt`. */
      reason: "not_due";
      expiresAt: Date;
      message: string;
    };

/**
 * What an accepted action did: `recorded` (an approval counted, more are needed), `delayed` (the
 * last approval is in; the request takes effect at `eligibleAt`), `approved`, `denied`,
 * `cancelled`, `expired`.
 */
export type ApprovalOutcome =
  | "recorded"
  | "delayed"
  | "approved"
  | "denied"
  | "cancelled"
  | "expired";

/** The result of {@link decideApproval}: the new state, or why nothing changed. */
export type ApprovalDecision<State extends ApprovalState> =
  | { ok: true; state: State; outcome: ApprovalOutcome }
  | { ok: false; rejection: ApprovalRejection };

const REQUIRED_APPROVALS: Readonly<Record<ApprovalTier, number>> = Object.freeze({
  standard: 0,
  sensitive: 1,
  critical: 2,
});

const DEFAULT_CRITICAL_DELAY_SECONDS = 300;
const DEFAULT_REQUEST_TTL_SECONDS = 86_400;

/** How many different approvers a tier needs: standard 0, sensitive 1, critical 2. */
export function requiredApprovals(tier: ApprovalTier): number {
  return REQUIRED_APPROVALS[tier];
}

/**
 * How many approvals a request needs from people other than its requester: the tier's count, less
 * one when the requester is an admin (who counts as one approver). Admin: sensitive 0, critical 1.
 */
export function approvalsNeeded(state: {
  tier: ApprovalTier;
  requesterApproves?: boolean;
}): number {
  const needed = requiredApprovals(state.tier);
  return state.requesterApproves === true ? Math.max(0, needed - 1) : needed;
}

/**
 * A new request's state at `now`. A `standard` request needs nobody and starts `approved`.
 *
 * @throws {RangeError} when a configured duration is not a finite number ≥ 0.
 */
export function newApprovalState(
  request: { tier: ApprovalTier; requesterId: string; requesterApproves?: boolean },
  now: Date,
  config: ApprovalPolicyConfig = {},
): ApprovalState {
  const ttlSeconds = durationSeconds(
    config.requestTtlSeconds,
    DEFAULT_REQUEST_TTL_SECONDS,
    "requestTtlSeconds",
  );
  const automatic = approvalsNeeded(request) === 0;
  return {
    status: automatic ? "approved" : "pending",
    tier: request.tier,
    approvals: [],
    requesterId: request.requesterId,
    ...(request.requesterApproves === true ? { requesterApproves: true } : {}),
    createdAt: now,
    expiresAt: addSeconds(now, ttlSeconds),
    eligibleAt: automatic ? now : null,
    decidedAt: automatic ? now : null,
    decidedBy: null,
  };
}

/**
 * The status at `now`. A stored `pending` request is `approved` once its `eligibleAt` has come
 * (the end of a critical delay) and `expired` once its `expiresAt` has; whichever came first wins,
 * and a tie goes to `expired`, so the answer never flips back as time moves on.
 */
export function effectiveStatus(state: ApprovalState, now: Date): ApprovalStatus {
  if (state.status !== "pending") return state.status;
  const expiresAt = state.expiresAt.getTime();
  const eligibleAt = state.eligibleAt?.getTime();
  if (eligibleAt !== undefined && eligibleAt < expiresAt && now.getTime() >= eligibleAt) {
    return "approved";
  }
  if (now.getTime() >= expiresAt) return "expired";
  return "pending";
}

/**
 * The state with its stored status brought up to date at `now` (a critical request past its delay
 * becomes `approved`, an overdue one `expired`, with `decidedAt` the moment that happened). Store
 * it to make the effective status durable; an up-to-date state comes back unchanged.
 */
export function settleApproval<State extends ApprovalState>(state: State, now: Date): State {
  const status = effectiveStatus(state, now);
  if (status === state.status) return state;
  const decidedAt = status === "approved" ? state.eligibleAt : state.expiresAt;
  return { ...state, status, decidedAt };
}

/**
 * Applies `action` to a request at `now`.
 *
 * - `approve`: the requester can never approve their own request, and an approver counts once;
 *   a critical request needs two different approvers (an admin requester counts as one, see
 *   {@link approvalsNeeded}). An approver created after the request was made is refused
 *   (`approver_too_new`). The last required approval approves a
 *   sensitive request at once; a critical one stays `pending` until `eligibleAt` (`now` + the
 *   delay), and further approvals are refused as `already_decided`.
 * - `deny`: any approver, while pending (including during a critical delay).
 * - `cancel`: while pending (including during a critical delay). Who may cancel (the requester or
 *   an admin) is the caller's check; the policy records `by`.
 * - `expire`: only once `now` ≥ `expiresAt` while still pending.
 *
 * Nothing changes once the effective status is final: every action is then `not_pending`.
 *
 * @throws {RangeError} when `config.criticalDelaySeconds` is not a finite number ≥ 0.
 * @example
 * const result = decideApproval(state, { type: "approve", by: "adm_1" }, new Date());
 * if (!result.ok) throw conflict(result.rejection.message);
 */
export function decideApproval<State extends ApprovalState>(
  state: State,
  action: ApprovalAction,
  now: Date,
  config: ApprovalPolicyConfig = {},
): ApprovalDecision<State> {
  const delaySeconds = durationSeconds(
    config.criticalDelaySeconds,
    DEFAULT_CRITICAL_DELAY_SECONDS,
    "criticalDelaySeconds",
  );
  const status = effectiveStatus(state, now);
  if (status === "expired" && action.type === "expire") {
    return { ok: true, state: settleApproval(state, now), outcome: "expired" };
  }
  if (status !== "pending") {
    return reject({
      reason: "not_pending",
      status,
      message: `The approval request is already ${status}; it can no longer change`,
    });
  }
  switch (action.type) {
    case "approve":
      return approve(state, action, now, delaySeconds);
    case "deny":
      return finish(state, "denied", action.by, now);
    case "cancel":
      return finish(state, "cancelled", action.by, now);
    case "expire":
      return reject({
        reason: "not_due",
        expiresAt: state.expiresAt,
        message: `The approval request does not expire before ${state.expiresAt.toISOString()}`,
      });
  }
}

function approve<State extends ApprovalState>(
  state: State,
  action: Extract<ApprovalAction, { type: "approve" }>,
  now: Date,
  delaySeconds: number,
): ApprovalDecision<State> {
  const { by } = action;
  const comment = action.comment ?? null;
  const needed = approvalsNeeded(state);
  if (state.eligibleAt !== null || (needed > 0 && state.approvals.length >= needed)) {
    return reject({
      reason: "already_decided",
      eligibleAt: state.eligibleAt ?? now,
      message:
        "The approval request already has every approval it needs and is waiting out its delay; cancel it to stop it",
    });
  }
  if (by === state.requesterId) {
    return reject({
      reason: "self_approval",
      message: "The requester cannot approve their own request; another approver must",
    });
  }
  if (
    state.createdAt !== undefined &&
    action.approverCreatedAt !== undefined &&
    action.approverCreatedAt.getTime() > state.createdAt.getTime()
  ) {
    return reject({
      reason: "approver_too_new",
      message:
        "This admin was created after the request was made and cannot approve it; an admin who existed before must",
    });
  }
  if (state.approvals.some((entry) => entry.by === by)) {
    return reject({
      reason: "same_approver_twice",
      message: "This approver has already approved the request; a different approver must",
    });
  }
  const approvals = [...state.approvals, { by, at: now, comment }];
  if (approvals.length < needed) {
    return { ok: true, state: { ...state, approvals }, outcome: "recorded" };
  }
  const delayed = state.tier === "critical" && delaySeconds > 0 && state.immediate !== true;
  if (delayed) {
    const eligibleAt = addSeconds(now, delaySeconds);
    return { ok: true, state: { ...state, approvals, eligibleAt }, outcome: "delayed" };
  }
  const approved = { ...state, approvals, status: "approved", eligibleAt: now, decidedAt: now };
  return { ok: true, state: approved, outcome: "approved" };
}

function finish<State extends ApprovalState>(
  state: State,
  status: "denied" | "cancelled",
  by: string,
  now: Date,
): ApprovalDecision<State> {
  return {
    ok: true,
    state: { ...state, status, decidedAt: now, decidedBy: by },
    outcome: status,
  };
}

function reject<State extends ApprovalState>(
  rejection: ApprovalRejection,
): ApprovalDecision<State> {
  return { ok: false, rejection };
}

function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

function durationSeconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number of seconds ≥ 0`);
  }
  return value;
}
