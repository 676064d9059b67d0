import {
  AgentVaultAbortError,
  AgentVaultApprovalTimeoutError,
  AgentVaultError,
} from "../errors.js";
import type { ApprovalRequest } from "../models/approval-request.js";

import { abortableSleep, linkSignals, MAX_TIMER_MS } from "./abort.js";

/** Asks the server for the request, holding the connection up to `waitSeconds` for a change. */
export type ApprovalPoll = (waitSeconds: number, signal: AbortSignal) => Promise<ApprovalRequest>;

/** Options of {@link pollApproval}. */
export interface PollApprovalOptions {
  readonly approvalRequestId: string;
  /** Overall limit, in ms. */
  readonly timeout: number;
  /** Longest single long-poll, in seconds. */
  readonly pollWaitSeconds: number;
  readonly signal?: AbortSignal | undefined;
}

// A server that ignores `?wait=` answers at once; never ask more often than this (ms).
const MIN_POLL_INTERVAL_MS = 1_000;

/**
 * Long-polls until the approval request is decided, and, for an approved critical request,
 * until its delay has passed (`eligibleAt`). Throws `AgentVaultApprovalTimeoutError` when
 * `timeout` passes first; the caller's abort rejects at once.
 */
export async function pollApproval(
  poll: ApprovalPoll,
  options: PollApprovalOptions,
): Promise<ApprovalRequest> {
  const { approvalRequestId, timeout, signal } = options;
  const deadline = Date.now() + timeout;
  // The deadline aborts whatever is in progress (a poll, a pause); that becomes the timeout error.
  const expiry = new AbortController();
  const timer = setTimeout(() => expiry.abort(), Math.min(timeout, MAX_TIMER_MS));
  const linked = linkSignals([signal, expiry.signal]);
  try {
    for (let remaining = timeout; remaining > 0; remaining = deadline - Date.now()) {
      const started = Date.now();
      const waitSeconds = Math.min(options.pollWaitSeconds, Math.floor(remaining / 1000));
      const request = await poll(waitSeconds, linked.signal);
      const { status } = request;
      const eligibleIn = (request.eligibleAt?.getTime() ?? 0) - Date.now();
      // Critical tier: approved, but usable only after the delay (during which it may be cancelled).
      const pause =
        status === "approved" && eligibleIn > 0
          ? Math.min(eligibleIn, remaining)
          : status === "pending"
            ? MIN_POLL_INTERVAL_MS - (Date.now() - started)
            : undefined;
      if (pause === undefined) return request;
      if (pause > 0) await abortableSleep(pause, linked.signal);
    }
  } catch (error) {
    if (signal?.aborted) {
      if (error instanceof AgentVaultError) throw error;
      throw new AgentVaultAbortError(
        `Waiting for approval request ${approvalRequestId} was aborted.`,
        { code: "ABORTED" },
      );
    }
    if (!expiry.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    linked.dispose();
  }
  throw new AgentVaultApprovalTimeoutError(
    `Approval request ${approvalRequestId} was still pending after ${timeout} ms: ask an approver, or raise the timeout option.`,
    { code: "APPROVAL_TIMEOUT", approvalRequestId },
  );
}
