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
  readonly now?: (() => number) | undefined;
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
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeout;
  const expiry = new AbortController();
  const timer = setTimeout(() => expiry.abort(), Math.min(options.timeout, MAX_TIMER_MS));
  const linked = linkSignals([options.signal, expiry.signal]);
  const timedOut = () =>
    new AgentVaultApprovalTimeoutError(
      `Approval request ${options.approvalRequestId} was still pending after ${options.timeout} ms: ask an approver, or raise the timeout option.`,
      { code: "APPROVAL_TIMEOUT", approvalRequestId: options.approvalRequestId },
    );
  // The deadline aborts whatever is in progress; turn that into the timeout error.
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (options.signal?.aborted === true) {
        if (error instanceof AgentVaultError) throw error;
        throw new AgentVaultAbortError(
          `Waiting for approval request ${options.approvalRequestId} was aborted.`,
          { code: "ABORTED" },
        );
      }
      if (expiry.signal.aborted) throw timedOut();
      throw error;
    }
  };
  try {
    for (;;) {
      const remaining = deadline - now();
      if (remaining <= 0) throw timedOut();
      const waitSeconds = Math.max(
        0,
        Math.min(options.pollWaitSeconds, Math.floor(remaining / 1000)),
      );
      const started = now();
      const request = await guard(() => poll(waitSeconds, linked.signal));
      const eligibleIn = request.eligibleAt === null ? 0 : request.eligibleAt.getTime() - now();
      if (request.status === "approved" && eligibleIn > 0) {
        // Critical tier: approved, but usable only after the delay (during which it may be cancelled).
        await guard(() => abortableSleep(Math.min(eligibleIn, remaining), linked.signal));
        continue;
      }
      if (request.status !== "pending") return request;
      const elapsed = now() - started;
      if (elapsed < MIN_POLL_INTERVAL_MS) {
        await guard(() => abortableSleep(MIN_POLL_INTERVAL_MS - elapsed, linked.signal));
      }
    }
  } finally {
    clearTimeout(timer);
    linked.dispose();
  }
}
