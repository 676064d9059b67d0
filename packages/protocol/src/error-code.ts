/**
 * Every `error.code` the server answers with, and its HTTP status (docs/protocol.md,
 * "Errors"). `APPROVAL_PENDING` is a 202: the request is fine and waits for people.
 */
export const ERROR_STATUS = Object.freeze({
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  SCOPE_DENIED: 403,
  IP_NOT_ALLOWED: 403,
  APPROVAL_DENIED: 403,
  DESTINATION_NOT_ALLOWED: 403,
  SECRET_NOT_FOUND: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  INTEGRITY_FAILED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  UPSTREAM_FAILED: 502,
  UPSTREAM_TIMEOUT: 504,
  APPROVAL_PENDING: 202,
} as const);

/** One of the codes in {@link ERROR_STATUS}. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** Every error code, in {@link ERROR_STATUS}'s order. */
export const ERROR_CODES = Object.freeze(Object.keys(ERROR_STATUS)) as readonly ErrorCode[];

/** Whether `value` is one of the {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}
