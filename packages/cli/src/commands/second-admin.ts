import { AgentVaultApprovalPendingError } from "@agentsecretstore/client";
import { CliError } from "../cli-error.js";
import { ExitCode } from "../exit-codes.js";

/**
 * Runs an admin action (creating or deleting an admin). From two admins on the vault answers it
 * with an approval request: this says so, with the request id and what to do next, and exits with
 * the approval-pending code. Other errors pass through.
 */
export async function withSecondAdmin<T>(
  what: string,
  again: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof AgentVaultApprovalPendingError)) throw error;
    const id = error.approvalRequestId ?? "(the id was not given)";
    throw new CliError(
      `${what} awaits a second admin's approval: request ${id}. Another admin, who existed before this request, approves it (\`ass approvals approve ${id}\` with their key); then run \`${again}\` again.`,
      ExitCode.APPROVAL_PENDING,
    );
  }
}
