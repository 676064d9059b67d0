/**
 * The client's error hierarchy. Every error the client throws is an {@link AgentVaultError};
 * the subclass says what kind of failure it was and carries the details as fields (never as
 * text to parse). Messages say what failed and what to do; they never contain a secret
 * value or a credential.
 */

/** Fields every {@link AgentVaultError} constructor accepts. */
export interface AgentVaultErrorOptions {
  /** Stable machine-readable code, e.g. `SCOPE_DENIED` or `TIMEOUT`. */
  code: string;
  /** HTTP status of the response, or `null` when no response was received. */
  status?: number | null | undefined;
  /** The server's `x-request-id`, or `null` when no response was received. */
  requestId?: string | null | undefined;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by `@agentsecretstore/client`.
 *
 * @example
 * try { await vault.getSecret(path) } catch (error) {
 *   if (error instanceof AgentVaultError) console.error(error.code, error.requestId);
 * }
 */
export class AgentVaultError extends Error {
  override readonly name: string = "AgentVaultError";
  /** Stable machine-readable code (the server's `error.code`, or a client code such as `TIMEOUT`). */
  readonly code: string;
  /** HTTP status, or `null` when the failure happened before a response arrived. */
  readonly status: number | null;
  /** The server's `x-request-id` for this failure, or `null`; quote it to the vault operator. */
  readonly requestId: string | null;

  constructor(message: string, options: AgentVaultErrorOptions) {
    // Error takes its `cause` from the options (and nothing else from them).
    super(message, options);
    this.code = options.code;
    this.status = options.status ?? null;
    this.requestId = options.requestId ?? null;
  }
}

/** 401: the credential is unknown, expired, revoked or used up. */
export class AgentVaultAuthError extends AgentVaultError {
  override readonly name: string = "AgentVaultAuthError";
}

/** 403: the credential may not do this (scope, IP allowlist, or a denied approval). */
export class AgentVaultPermissionError extends AgentVaultError {
  override readonly name: string = "AgentVaultPermissionError";
  /** The secret path that was refused, when the server said. */
  declare readonly path: string | null;
  /** The scope that would have allowed the request, when the server said. */
  declare readonly requiredScope: string | null;

  constructor(
    message: string,
    options: AgentVaultErrorOptions & { path?: string | null; requiredScope?: string | null },
  ) {
    super(message, options);
    setOrNull(this, options, "path", "requiredScope");
  }
}

/** 404: no secret (or no such version) at the path. */
export class AgentVaultNotFoundError extends AgentVaultError {
  override readonly name: string = "AgentVaultNotFoundError";
  /** The path that was not found, when known. */
  declare readonly path: string | null;
  /** The version that was asked for, or `null` for the current one. */
  declare readonly version: number | null;

  constructor(
    message: string,
    options: AgentVaultErrorOptions & { path?: string | null; version?: number | null },
  ) {
    super(message, options);
    setOrNull(this, options, "path", "version");
  }
}

/** 429: too many requests; retried automatically until the retry budget ran out. */
export class AgentVaultRateLimitError extends AgentVaultError {
  override readonly name: string = "AgentVaultRateLimitError";
  /** How long the server asked to wait, in seconds, or `null` when it did not say. */
  declare readonly retryAfter: number | null;

  constructor(message: string, options: AgentVaultErrorOptions & { retryAfter?: number | null }) {
    super(message, options);
    setOrNull(this, options, "retryAfter");
  }
}

/**
 * 202 on a read: a person has to approve access first. Wait with
 * `waitForApproval(vault, error.approvalRequestId)` and read again.
 */
export class AgentVaultApprovalPendingError extends AgentVaultError {
  override readonly name: string = "AgentVaultApprovalPendingError";
  /** Id of the approval request to wait for, or `null` when the server did not say. */
  declare readonly approvalRequestId: string | null;

  constructor(
    message: string,
    options: AgentVaultErrorOptions & { approvalRequestId?: string | null },
  ) {
    super(message, options);
    setOrNull(this, options, "approvalRequestId");
  }
}

/** `waitForApproval` gave up: the request was still pending when its timeout passed. */
export class AgentVaultApprovalTimeoutError extends AgentVaultError {
  override readonly name: string = "AgentVaultApprovalTimeoutError";
  /** Id of the approval request that is still pending. */
  declare readonly approvalRequestId: string;

  constructor(message: string, options: AgentVaultErrorOptions & { approvalRequestId: string }) {
    super(message, options);
    setOrNull(this, options, "approvalRequestId");
  }
}

/** No usable response: connection refused or reset, DNS failure, or a timeout. */
export class AgentVaultNetworkError extends AgentVaultError {
  override readonly name: string = "AgentVaultNetworkError";
}

/** An attempt took longer than the `timeout` option (or the server answered 408). */
export class AgentVaultTimeoutError extends AgentVaultNetworkError {
  override readonly name: string = "AgentVaultTimeoutError";
}

/** The caller's `AbortSignal` fired, or the client was closed. Never retried. */
export class AgentVaultAbortError extends AgentVaultNetworkError {
  override readonly name: string = "AgentVaultAbortError";
}

/** One problem the server (or the client) found with the request. */
export interface ValidationIssue {
  /** The request field at fault, e.g. `tier`. */
  readonly field: string;
  /** What is wrong with it. */
  readonly message: string;
}

/** 400 / 413: the request was malformed (unknown field, bad path, value too large). */
export class AgentVaultValidationError extends AgentVaultError {
  override readonly name: string = "AgentVaultValidationError";
  /** Every problem found, field by field (may be empty). */
  readonly issues: readonly ValidationIssue[];

  constructor(
    message: string,
    options: AgentVaultErrorOptions & { issues?: readonly ValidationIssue[] },
  ) {
    super(message, options);
    this.issues = options.issues ?? [];
  }
}

/** 409 / 412: the secret exists already, or `ifVersion` did not match the current version. */
export class AgentVaultConflictError extends AgentVaultError {
  override readonly name: string = "AgentVaultConflictError";
  /** The secret's current version, when the server said (412). */
  declare readonly currentVersion: number | null;

  constructor(
    message: string,
    options: AgentVaultErrorOptions & { currentVersion?: number | null },
  ) {
    super(message, options);
    setOrNull(this, options, "currentVersion");
  }
}

/** 5xx: the server failed; retried automatically until the retry budget ran out. */
export class AgentVaultServerError extends AgentVaultError {
  override readonly name: string = "AgentVaultServerError";
}

/** The client is misconfigured: no credential, a bad `baseUrl`, or it was closed. */
export class AgentVaultConfigurationError extends AgentVaultError {
  override readonly name: string = "AgentVaultConfigurationError";
}

/** Sets the fields a subclass adds from its options: each of `names`, `null` when not given. */
function setOrNull<Options extends AgentVaultErrorOptions>(
  error: AgentVaultError,
  options: Options,
  ...names: (keyof Options & string)[]
): void {
  for (const name of names)
    (error as unknown as Record<string, unknown>)[name] = options[name] ?? null;
}
