import type { ApprovalRequest } from "@agentsecretstore/client";
import type { Outcome } from "./vault-outcome.js";
import type { ToolCallRuntime, VaultToolState } from "./vault-tool-state.js";

const MESSAGES: Record<string, string> = {
  approved:
    "Approved. Retry what was pending; access obtained with request_secret_access is used automatically.",
  denied: "A person denied the request. Do not ask again unless the user says so.",
  cancelled: "The request was cancelled. Ask again only if the access is still needed.",
  expired: "The request expired without a decision. Ask again only if the access is still needed.",
  pending: "No decision yet. Tell the user and go on with other work; check again later.",
};

/**
 * Asks the vault, for at most `approvalCheckTimeout` ms, whether a person decided the approval
 * request, and records the decision on the run's matching access grant.
 */
export async function checkApproval(
  state: VaultToolState,
  runtime: ToolCallRuntime | undefined,
  approvalRequestId: string,
): Promise<Outcome> {
  const target = state.target(runtime);
  let request: ApprovalRequest | undefined;
  try {
    request = await target.vault.waitForApproval(approvalRequestId, {
      ...target.options,
      timeout: state.options.approvalCheckTimeout,
      // Ask once and answer: a tool call must not hang on a person.
      pollWaitSeconds: 0,
    });
  } catch (error) {
    if ((error as { name?: unknown })?.name !== "AgentVaultApprovalTimeoutError") throw error;
  }
  const status = request?.status ?? "pending";
  const grant = state.grants.findByApprovalRequest(state.bucket(runtime), approvalRequestId);
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
