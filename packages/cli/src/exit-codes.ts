import {
  AgentVaultApprovalPendingError,
  AgentVaultAuthError,
  AgentVaultConfigurationError,
  AgentVaultConflictError,
  AgentVaultError,
  AgentVaultNetworkError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultRateLimitError,
  AgentVaultValidationError,
} from "@agentsecretstore/client";
import { CliError } from "./cli-error.js";

/** Exit codes of `ass`, one per kind of failure, so scripts can branch on them. */
export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  UNAUTHORIZED: 3,
  PERMISSION_DENIED: 4,
  NOT_FOUND: 5,
  APPROVAL_PENDING: 6,
  RATE_LIMITED: 7,
  NETWORK: 8,
  CONFLICT: 9,
} as const;

/** The help text's table of exit codes. */
export const EXIT_CODE_HELP = `
Exit codes:
  0  success                 5  not found
  1  failure                 6  approval pending (a person must approve first)
  2  usage or invalid input  7  rate limited (try again after the delay shown)
  3  not authenticated       8  network error or timeout
  4  permission denied       9  conflict (version changed, or already exists)`;

/** What to print and which code to exit with for an error thrown by a command. */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof AgentVaultError) return describeVaultError(error);
  const message = error instanceof Error ? error.message : String(error);
  return { message, exitCode: ExitCode.FAILURE };
}

function describeVaultError(error: AgentVaultError): { message: string; exitCode: number } {
  const request = error.requestId ? ` (request ${error.requestId})` : "";
  const message = `${error.message}${request}`;
  if (error instanceof AgentVaultConfigurationError) return { message, exitCode: ExitCode.USAGE };
  if (error instanceof AgentVaultValidationError) return { message, exitCode: ExitCode.USAGE };
  if (error instanceof AgentVaultAuthError) return { message, exitCode: ExitCode.UNAUTHORIZED };
  if (error instanceof AgentVaultPermissionError) {
    return { message, exitCode: ExitCode.PERMISSION_DENIED };
  }
  if (error instanceof AgentVaultNotFoundError) return { message, exitCode: ExitCode.NOT_FOUND };
  if (error instanceof AgentVaultApprovalPendingError) {
    return {
      message: `${message}\nWatch it with: ass approvals watch ${error.approvalRequestId}`,
      exitCode: ExitCode.APPROVAL_PENDING,
    };
  }
  if (error instanceof AgentVaultRateLimitError)
    return { message, exitCode: ExitCode.RATE_LIMITED };
  if (error instanceof AgentVaultNetworkError) return { message, exitCode: ExitCode.NETWORK };
  if (error instanceof AgentVaultConflictError) return { message, exitCode: ExitCode.CONFLICT };
  return { message, exitCode: ExitCode.FAILURE };
}
