import {
  type ErrorCode,
  looksLikeCredential,
  maskCredentials as maskCredentialsIn,
} from "@agentsecretstore/protocol";
/**
 * The wire protocol's error codes (`@agentsecretstore/protocol`); the HTTP layer maps each to its
 * status with the protocol's one table (http/error-status.ts). Services know codes, never statuses.
 */
export type VaultErrorCode = ErrorCode;

export type ValidationIssue = { field: string; message: string };

/**
 * What a service fails with: a code of the wire protocol, a message for the caller and details
 * (`path`, `required_scope`, `approval_request_id`, …), answered as
 * `{"error": {"code", "message", ...details}, "detail": message}`. Messages and details never hold a secret value or
 * a credential.
 */
export class VaultError extends Error {
  override readonly name: string = "VaultError";

  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** The wire body; `detail` repeats the message for clients that read only that field. */
  toBody(): { error: Record<string, unknown>; detail: string } {
    return {
      error: { code: this.code, message: this.message, ...this.details },
      detail: this.message,
    };
  }
}

export function validationError(issues: ValidationIssue[], message?: string): VaultError {
  const first = issues[0];
  return new VaultError(
    "VALIDATION_ERROR",
    message ?? (first ? `Invalid request: ${first.field}: ${first.message}` : "Invalid request"),
    { issues },
  );
}

/** The one answer for every unusable credential, so they cannot be told apart. */
export function unauthorized(): VaultError {
  return new VaultError(
    "UNAUTHORIZED",
    "Missing or invalid credential: send a valid agent key, admin key or unexpired token as 'Authorization: Bearer <credential>'",
  );
}

export function scopeDenied(path: string, requiredScope: string, message?: string): VaultError {
  return new VaultError(
    "SCOPE_DENIED",
    message ?? `This credential's scopes do not include ${requiredScope}`,
    { path, required_scope: requiredScope },
  );
}

export function ipNotAllowed(): VaultError {
  return new VaultError(
    "IP_NOT_ALLOWED",
    "This token may not be used from this address: it is outside the token's allowed_ips",
  );
}

export function approvalDenied(message: string): VaultError {
  return new VaultError("APPROVAL_DENIED", message);
}

export function approvalPending(approvalRequestId: string, message?: string): VaultError {
  return new VaultError(
    "APPROVAL_PENDING",
    message ?? "Waiting for a person to approve this request; poll GET /v1/approvals/{id}",
    { approval_request_id: approvalRequestId, approval_id: approvalRequestId },
  );
}

export function secretNotFound(path: string, version?: number): VaultError {
  return new VaultError(
    "SECRET_NOT_FOUND",
    version === undefined
      ? `No secret at ${path}`
      : `No readable version ${version} of the secret at ${path}`,
    version === undefined ? { path } : { path, version },
  );
}

/**
 * Text from the request (a URL) with every credential in it reduced to its prefix, for messages,
 * audit details and log lines: `DELETE /v1/tokens/ast_tok_…` or `?token=…` sent by mistake.
 */
export function maskCredentials(text: string): string {
  return maskCredentialsIn(text, "[redacted]");
}

/**
 * An id as a message may show it. A credential sent by mistake where an id belongs (a token
 * value in `DELETE /v1/tokens/{id}`) is never echoed back.
 */
export function shownId(id: string): string {
  return looksLikeCredential(id) ? "(a credential, not an id: never put credentials in URLs)" : id;
}

export function notFound(message: string): VaultError {
  return new VaultError("NOT_FOUND", message);
}

export function conflict(message: string): VaultError {
  return new VaultError("CONFLICT", message);
}

export function preconditionFailed(currentVersion: number): VaultError {
  return new VaultError(
    "PRECONDITION_FAILED",
    `If-Match did not match: the current version is ${currentVersion}`,
    { current_version: currentVersion },
  );
}

export function payloadTooLarge(limit: number, what = "The request body"): VaultError {
  return new VaultError("PAYLOAD_TOO_LARGE", `${what} is larger than ${limit} bytes`, {
    limit,
  });
}

export function internalError(): VaultError {
  return new VaultError(
    "INTERNAL",
    "Internal error: the request could not be completed; quote the x-request-id when reporting it",
  );
}
