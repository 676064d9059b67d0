import { type ApprovalRequest, waitForApproval } from "@agentsecretstore/client";
import type { VaultToolCallContext } from "../vault-tool-context.js";
import type { VaultToolOutcome, VaultToolStatus } from "../vault-tool-outcome.js";
import type { VaultToolState } from "./vault-tool-state.js";

const MESSAGES: Record<string, string> = {
  approved:
    "Approved. Retry what was pending; access obtained with request_secret_access is used automatically.",
  denied: "A person denied the request. Do not ask again unless the user says so.",
  cancelled: "The request was cancelled. Ask again only if the access is still needed.",
  expired: "The request expired without a decision. Ask again only if the access is still needed.",
  pending: "No decision yet. Tell the user and go on with other work; check again later.",
};

// The server holds a long-poll for at most this many seconds; longer waits poll again.
const LONGEST_POLL_SECONDS = 25;

/**
 * Asks the vault whether a person decided the approval request, and records the decision on
 * the run's matching access grant. Without `waitMs`, it asks once (within
 * `approvalCheckTimeout` ms); with it, it long-polls for up to that long.
 */
export async function checkApproval(
  state: VaultToolState,
  context: VaultToolCallContext,
  approvalRequestId: string,
  waitMs = 0,
): Promise<VaultToolOutcome> {
  const target = state.target(context);
  let request: ApprovalRequest | undefined;
  try {
    request = await waitForApproval(target.vault, approvalRequestId, {
      ...target.options,
      timeout: waitMs > 0 ? waitMs : state.options.approvalCheckTimeout,
      // Without a wait, ask once and answer: a tool call must not hang on a person.
      pollWaitSeconds: Math.min(LONGEST_POLL_SECONDS, Math.ceil(waitMs / 1000)),
    });
  } catch (error) {
    if ((error as { name?: unknown })?.name !== "AgentVaultApprovalTimeoutError") throw error;
  }
  const status: VaultToolStatus = request?.status ?? "pending";
  const grant = state.grants.findByApprovalRequest(state.bucket(context), approvalRequestId);
  if (grant !== undefined && status !== "pending") {
    grant.status = status === "approved" ? "approved" : "denied";
  }
  return {
    status,
    approvalRequestId,
    ...(request !== undefined && {
      approvalsReceived: request.approvals.length,
      requiredApprovals: request.requiredApprovals,
      decidedAt: request.decidedAt?.toISOString() ?? null,
    }),
    message: MESSAGES[status] ?? MESSAGES.pending ?? "",
  };
}
