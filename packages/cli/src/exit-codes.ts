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
  AgentVaultServerError,
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
  4  permission denied       9  conflict (version changed, or already exists)
  \`ass run\` exits with its command's code (128 + n when a signal n ended it).`;

/** Which credential the failed command used, to name it in the message. */
export type FailureContext = { credentialVariable?: string | undefined };

/** What to print and which code to exit with for an error thrown by a command. */
export function describeFailure(
  error: unknown,
  context: FailureContext = {},
): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof AgentVaultError) {
    const [message, exitCode] = describeVaultError(error, context);
    // The request id once, for the operator's logs.
    const request = error.requestId ? ` (request id ${error.requestId})` : "";
    return { message: `${message}${request}`, exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message, exitCode: ExitCode.FAILURE };
}

function describeVaultError(error: AgentVaultError, context: FailureContext): [string, number] {
  const credential = context.credentialVariable ?? "the credential";
  if (error instanceof AgentVaultConfigurationError) return [sdkText(error), ExitCode.USAGE];
  if (error instanceof AgentVaultValidationError) {
    const issues = error.issues.map((issue) => `${issue.field}: ${issue.message}`);
    return [
      issues.length > 0 ? `invalid input: ${issues.join("; ")}.` : sdkText(error),
      ExitCode.USAGE,
    ];
  }
  if (error instanceof AgentVaultAuthError) {
    return [
      `the vault did not accept ${credential}: it is unknown, expired, revoked or used up (\`ass whoami\` shows which credential is used).`,
      ExitCode.UNAUTHORIZED,
    ];
  }
  if (error instanceof AgentVaultPermissionError) {
    return [permissionText(error, credential), ExitCode.PERMISSION_DENIED];
  }
  if (error instanceof AgentVaultNotFoundError) {
    if (error.path === null) return [sdkText(error), ExitCode.NOT_FOUND];
    const version = error.version === null ? "" : ` with version ${error.version}`;
    const namespace = error.path.includes("/")
      ? error.path.slice(0, error.path.lastIndexOf("/"))
      : "";
    return [
      `no secret at ${error.path}${version} (\`ass secrets list ${namespace}\` shows what is there).`,
      ExitCode.NOT_FOUND,
    ];
  }
  if (error instanceof AgentVaultApprovalPendingError) {
    const id = error.approvalRequestId;
    return [
      id === null
        ? "a person has to approve this first."
        : `a person has to approve this first (request ${id}). Follow it with \`ass approvals watch ${id}\`, or run the command again with --wait.`,
      ExitCode.APPROVAL_PENDING,
    ];
  }
  if (error instanceof AgentVaultRateLimitError) {
    const wait = error.retryAfter === null ? "later" : `in ${error.retryAfter} s`;
    return [`the vault is rate limiting these requests: try again ${wait}.`, ExitCode.RATE_LIMITED];
  }
  if (error instanceof AgentVaultNetworkError) return [sdkText(error), ExitCode.NETWORK];
  if (error instanceof AgentVaultConflictError) {
    if (error.currentVersion !== null) {
      return [
        `the secret is at version ${error.currentVersion}, not the one given with --if-version: read it again and retry.`,
        ExitCode.CONFLICT,
      ];
    }
    return [sdkText(error), ExitCode.CONFLICT];
  }
  if (error instanceof AgentVaultServerError) {
    return [
      `the vault failed (HTTP ${error.status ?? "?"}); try again, or quote the request id to its operator.`,
      ExitCode.FAILURE,
    ];
  }
  return [sdkText(error), ExitCode.FAILURE];
}

function permissionText(error: AgentVaultPermissionError, credential: string): string {
  if (error.code === "APPROVAL_DENIED") return "a person denied this request.";
  if (error.code === "IP_NOT_ALLOWED") return `${credential} may not be used from this address.`;
  if (error.path === null && error.requiredScope === null) return sdkText(error);
  const what = error.path === null ? "this" : error.path;
  if (error.requiredScope === "admin" || error.requiredScope === "operator") {
    return `permission denied: ${what} needs ${error.requiredScope === "admin" ? "an admin key" : "the operator's admin key"} (--as admin, ASS_ADMIN_KEY).`;
  }
  const scope = error.requiredScope === null ? "" : `: it needs the scope ${error.requiredScope}`;
  return `permission denied for ${what}${scope}, which ${credential} does not have.`;
}

/**
 * The client's message as a person at a terminal should read it: without its request id (the
 * CLI adds it once) and without sentences of SDK advice ("… with listSecrets()", option names).
 */
function sdkText(error: Error): string {
  const text = error.message.replace(/\s*\(request id [^)]*\)/g, "");
  const sentences = text.split(/(?<=[.!?])\s+/);
  const kept = sentences.filter(
    (sentence) => !/\w\(.*\)|\boption\b|agentKey|adminKey/.test(sentence),
  );
  const result = (kept.length > 0 ? kept : sentences.slice(0, 1)).join(" ").trim();
  return lowerFirst(result);
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text)
    ? text[0]!.toLowerCase() + text.slice(1)
    : text;
}
