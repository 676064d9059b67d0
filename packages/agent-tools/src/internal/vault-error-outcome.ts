import type { PendingApprovalOutcome, VaultToolOutcome } from "../vault-tool-outcome.js";

type Outcome = VaultToolOutcome;

/** What a failed vault call was about, for the message. */
export interface OutcomeSubject {
  readonly path?: string | undefined;
  readonly scope?: string | undefined;
}

type VaultErrorFields = {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  message?: unknown;
  path?: unknown;
  requiredScope?: unknown;
  retryAfter?: unknown;
  approvalRequestId?: unknown;
  issues?: unknown;
  currentVersion?: unknown;
};

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/**
 * The short result a vault failure becomes, or `undefined` for failures the model cannot act
 * on (authentication, configuration, network, server errors), which the tool throws.
 * Errors are recognised by name, so that any copy of the client's classes is understood.
 */
export function outcomeOfVaultError(error: unknown, subject: OutcomeSubject): Outcome | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const fields = error as VaultErrorFields;
  const path = text(fields.path) ?? subject.path;
  switch (fields.name) {
    case "AgentVaultNotFoundError":
      return {
        status: "not_found",
        path,
        message: `No secret exists at ${path ?? "that path"}. Use list_secrets to see which secrets exist.`,
      };
    case "AgentVaultPermissionError": {
      const requiredScope = text(fields.requiredScope);
      const reason = text(fields.code) ?? "SCOPE_DENIED";
      const hint =
        reason === "APPROVAL_DENIED"
          ? "A person denied this access; do not ask again unless the user says so."
          : requiredScope === undefined
            ? "Do not retry; tell the user access was refused."
            : `Ask for access with request_secret_access (scope ${requiredScope}), or tell the user.`;
      return {
        status: "denied",
        reason,
        path,
        ...(requiredScope !== undefined && { requiredScope }),
        message: `The vault refused access${path === undefined ? "" : ` to ${path}`}. ${hint}`,
      };
    }
    case "AgentVaultApprovalPendingError":
    case "AgentVaultApprovalTimeoutError":
      return pendingOutcome(text(fields.approvalRequestId) ?? null, subject);
    case "AgentVaultRateLimitError": {
      const retryAfterSeconds = typeof fields.retryAfter === "number" ? fields.retryAfter : null;
      return {
        status: "rate_limited",
        retryAfterSeconds,
        message: `The vault is rate limiting this agent. Wait ${retryAfterSeconds ?? "a few"} seconds before trying again, or continue without it.`,
      };
    }
    case "AgentVaultValidationError":
      return {
        status: "invalid_request",
        message: `The vault rejected the request: ${text(fields.message) ?? "invalid input"} Fix the arguments and try again.`,
        ...(Array.isArray(fields.issues) && { issues: fields.issues }),
      };
    case "AgentVaultConflictError":
      return {
        status: "conflict",
        path,
        currentVersion: typeof fields.currentVersion === "number" ? fields.currentVersion : null,
        message: `The secret${path === undefined ? "" : ` at ${path}`} changed or already exists. Read its metadata and decide again.`,
      };
    default:
      return undefined;
  }
}

/** The result for access that waits on a person's approval. */
export function pendingOutcome(
  approvalRequestId: string | null,
  subject: OutcomeSubject,
): PendingApprovalOutcome {
  const what = subject.path ?? subject.scope ?? "this secret";
  return {
    status: "pending_approval",
    approvalRequestId,
    ...(subject.path !== undefined && { path: subject.path }),
    ...(subject.scope !== undefined && { scope: subject.scope }),
    personAction:
      approvalRequestId === null
        ? `A person approves access to ${what} in the vault (ass approvals list, or the console).`
        : `A person approves request ${approvalRequestId} in the vault: ass approvals approve ${approvalRequestId}, or the console.`,
    message: `A person must approve access to ${what} first. Tell the user, and call check_approval_status with approvalRequestId later; do not ask again.`,
  };
}
