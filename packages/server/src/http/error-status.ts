import { VaultError, type VaultErrorCode } from "../vault/vault-error.js";

/** The one place a vault error code becomes an HTTP status. */
const STATUS_OF_CODE: Record<VaultErrorCode, number> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  SCOPE_DENIED: 403,
  IP_NOT_ALLOWED: 403,
  APPROVAL_DENIED: 403,
  SECRET_NOT_FOUND: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  APPROVAL_PENDING: 202,
};

/**
 * An answer the HTTP shell gives on its own, with a status of its own for a code (a server
 * closing: 503 INTERNAL; headers too large: 431 VALIDATION_ERROR; a request that timed out: 408).
 */
export class TransportError extends VaultError {
  override readonly name = "TransportError";

  constructor(
    readonly statusCode: number,
    code: VaultErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(code, message, details);
  }
}

/** The HTTP status a vault error is answered with. */
export function statusOf(error: VaultError): number {
  return error instanceof TransportError ? error.statusCode : STATUS_OF_CODE[error.code];
}
