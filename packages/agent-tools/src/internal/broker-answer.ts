import { ERROR_STATUS, isErrorCode } from "@agentsecretstore/protocol";
import type { VaultToolOutcome } from "../vault-tool-outcome.js";
import { type OutcomeSubject, outcomeOfVaultError } from "./vault-error-outcome.js";

// The client's error class for each status the broker itself answers with (the client's rule:
// the status decides the class), so that its refusals read like the other tools' outcomes.
const CLASS_OF_STATUS: Readonly<Record<number, string>> = {
  202: "AgentVaultApprovalPendingError",
  400: "AgentVaultValidationError",
  403: "AgentVaultPermissionError",
  404: "AgentVaultNotFoundError",
  413: "AgentVaultValidationError",
  429: "AgentVaultRateLimitError",
};

/** The vault's own error body, as the API sends it: `{ error: { code, message, …details } }`. */
interface VaultErrorBody {
  readonly code: string;
  readonly message?: unknown;
  readonly path?: unknown;
  readonly required_scope?: unknown;
  readonly approval_request_id?: unknown;
  readonly retry_after?: unknown;
  readonly issues?: unknown;
}

/**
 * The vault's own answer to a brokered call — its error body with a code whose status is the
 * answer's — or `undefined` for the upstream's answer, which the broker passes on as it is.
 */
export function vaultErrorOf(status: number, body: string): VaultErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = (parsed as { error?: { code?: unknown } } | null)?.error;
  if (typeof error !== "object" || error === null || !isErrorCode(error.code)) return undefined;
  return ERROR_STATUS[error.code] === status ? (error as VaultErrorBody) : undefined;
}

/**
 * What the model is told when the vault refused or held a brokered call, or `undefined` when
 * the model cannot act on it (authentication, integrity, server failures), which the tool throws.
 */
export function brokerRefusalOutcome(
  status: number,
  error: VaultErrorBody,
  subject: OutcomeSubject,
): VaultToolOutcome | undefined {
  if (error.code === "UPSTREAM_FAILED" || error.code === "UPSTREAM_TIMEOUT") {
    const what = error.code === "UPSTREAM_TIMEOUT" ? "did not answer in time" : "failed";
    return {
      status: "request_failed",
      message: `The call through the vault's broker ${what} (${error.code}).`,
    };
  }
  return outcomeOfVaultError(
    {
      name: CLASS_OF_STATUS[status],
      code: error.code,
      message: error.message,
      path: error.path,
      requiredScope: error.required_scope,
      approvalRequestId: error.approval_request_id,
      retryAfter: error.retry_after,
      issues: error.issues,
    },
    subject,
  );
}
