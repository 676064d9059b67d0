import { ERROR_STATUS } from "@agentsecretstore/protocol";
import { VaultError, type VaultErrorCode } from "../vault/vault-error.js";

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

/** The HTTP status a vault error is answered with: the protocol's table, one place for it. */
export function statusOf(error: VaultError): number {
  return error instanceof TransportError ? error.statusCode : ERROR_STATUS[error.code];
}
