import {
  looksLikeCredential,
  maskCredentials as maskCredentialsIn,
} from "@agentsecretstore/protocol";
/** The error codes of docs/protocol.md's error table, plus NOT_FOUND for a route or a non-secret resource. */
export type ApiErrorCode =
  | "VALIDATION_ERROR"
  | "UNAUTHORIZED"
  | "SCOPE_DENIED"
  | "IP_NOT_ALLOWED"
  | "APPROVAL_DENIED"
  | "SECRET_NOT_FOUND"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "INTERNAL"
  | "APPROVAL_PENDING";

export type ValidationIssue = { field: string; message: string };

/**
 * An error the API answers with `{"error": {"code", "message", ...details}}`. Messages and
 * details are written for the caller and never hold a secret value or a credential.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  toBody(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export function validationError(issues: ValidationIssue[], message?: string): ApiError {
  const first = issues[0];
  return new ApiError(
    400,
    "VALIDATION_ERROR",
    message ?? (first ? `Invalid request: ${first.field}: ${first.message}` : "Invalid request"),
    { issues },
  );
}

/** The one answer for every unusable credential, so they cannot be told apart. */
export function unauthorized(): ApiError {
  return new ApiError(
    401,
    "UNAUTHORIZED",
    "Missing or invalid credential: send a valid agent key, admin key or unexpired token as 'Authorization: Bearer <credential>'",
  );
}

export function scopeDenied(path: string, requiredScope: string, message?: string): ApiError {
  return new ApiError(
    403,
    "SCOPE_DENIED",
    message ?? `This credential's scopes do not include ${requiredScope}`,
    { path, required_scope: requiredScope },
  );
}

export function ipNotAllowed(): ApiError {
  return new ApiError(
    403,
    "IP_NOT_ALLOWED",
    "This token may not be used from this address: it is outside the token's allowed_ips",
  );
}

export function approvalDenied(message: string): ApiError {
  return new ApiError(403, "APPROVAL_DENIED", message);
}

export function approvalPending(approvalRequestId: string, message?: string): ApiError {
  return new ApiError(
    202,
    "APPROVAL_PENDING",
    message ?? "Waiting for a person to approve this request; poll GET /v1/approvals/{id}",
    { approval_request_id: approvalRequestId, approval_id: approvalRequestId },
  );
}

export function secretNotFound(path: string, version?: number): ApiError {
  return new ApiError(
    404,
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

export function notFound(message: string): ApiError {
  return new ApiError(404, "NOT_FOUND", message);
}

export function conflict(message: string): ApiError {
  return new ApiError(409, "CONFLICT", message);
}

export function preconditionFailed(currentVersion: number): ApiError {
  return new ApiError(
    412,
    "PRECONDITION_FAILED",
    `If-Match did not match: the current version is ${currentVersion}`,
    { current_version: currentVersion },
  );
}

export function payloadTooLarge(limit: number, what = "The request body"): ApiError {
  return new ApiError(413, "PAYLOAD_TOO_LARGE", `${what} is larger than ${limit} bytes`, {
    limit,
  });
}

export function internalError(): ApiError {
  return new ApiError(
    500,
    "INTERNAL",
    "Internal error: the request could not be completed; quote the x-request-id when reporting it",
  );
}
