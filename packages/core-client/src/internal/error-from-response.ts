import { type ErrorCode, wireNames } from "@agentsecretstore/protocol";
import {
  AgentVaultApprovalPendingError,
  AgentVaultAuthError,
  AgentVaultConflictError,
  AgentVaultError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultRateLimitError,
  AgentVaultServerError,
  AgentVaultTimeoutError,
  AgentVaultValidationError,
} from "../errors.js";
import { redactText } from "./redact.js";
import { numberOrNull, pick, stringOrNull, type WireObject } from "./wire-fields.js";

/** Everything known about a failed response. */
export interface ErrorResponse {
  /** `METHOD /v1/path` of the request. */
  readonly description: string;
  readonly status: number;
  /** The decoded body, `{"error": {code, message, …details}}` when the server wrote it. */
  readonly body: unknown;
  readonly requestId: string | null;
  /** The `Retry-After` header as a delay in ms (not capped), or `null`. */
  readonly retryAfterMs: number | null;
  /** Values sent in this request; scrubbed from the message should the server echo one. */
  readonly sensitiveValues?: readonly string[] | undefined;
}

/** What a kind of failure needs to build its error: the response, cleaned texts, the details. */
interface Failure {
  readonly response: ErrorResponse;
  readonly code: string;
  /** `: <the server's message>`, or `""`. */
  readonly said: string;
  readonly details: WireObject;
  /** Masks credentials and the values sent in this request. */
  clean(text: string): string;
  /** A detail as text, cleaned; `null` when absent. */
  text(...names: string[]): string | null;
}

/** The error class of a kind, its extra fields, and its message (before the request id). */
type Made = [typeof AgentVaultError, Record<string, unknown>, string];

// One builder per kind of failure (docs/protocol.md's error table). Each message says what failed and what
// to do; every text from the server in it is cleaned again before use.
const KINDS: Readonly<Record<string, (failure: Failure) => Made>> = {
  validation: ({ response, said, details, clean }) => {
    const issues = (Array.isArray(details.issues) ? (details.issues as unknown[]) : [])
      .filter((issue): issue is WireObject => typeof issue === "object" && issue !== null)
      .map((issue) => ({
        field: clean(stringOrNull(issue.field) ?? ""),
        message: clean(stringOrNull(issue.message) ?? ""),
      }));
    const limit = numberOrNull(details.limit);
    const what =
      issues.length > 0
        ? `: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join("; ")}`
        : said;
    const hint = limit === null ? "Fix the request." : `The limit is ${limit} bytes.`;
    return [
      AgentVaultValidationError,
      { issues },
      `The vault rejected ${response.description} as invalid${what}. ${hint}`,
    ];
  },
  auth: ({ response }) => [
    AgentVaultAuthError,
    {},
    `The vault refused the credential for ${response.description} (unknown, expired, revoked or used up): check agentKey / ASS_AGENT_KEY or token / ASS_TOKEN.`,
  ],
  permission: ({ response, code, said, text }) => {
    const requiredScope = text("required_scope");
    const { description } = response;
    const message =
      code === "SCOPE_DENIED"
        ? `The credential may not ${description}${requiredScope === null ? "" : `: it needs the scope "${requiredScope}"`}. Use a token whose scope covers it.`
        : code === "IP_NOT_ALLOWED"
          ? `The credential may not be used from this address (${description}): see its allowedIps.`
          : code === "APPROVAL_DENIED"
            ? `A person denied access for ${description}: request a new token.`
            : `The vault refused ${description}${said}.`;
    return [AgentVaultPermissionError, { path: text("path"), requiredScope }, message];
  },
  "not-found": ({ response, said, details, text }) => {
    const path = text("path");
    const version = numberOrNull(details.version);
    const what =
      path === null
        ? `Nothing found for ${response.description}${said}`
        : `No secret at "${path}"${version === null ? "" : ` with version ${version}`} (${response.description})`;
    return [AgentVaultNotFoundError, { path, version }, `${what}; check the path.`];
  },
  conflict: ({ response, code, said, details }) => {
    const currentVersion = numberOrNull(pick(details, "current_version"));
    const message =
      code === "PRECONDITION_FAILED"
        ? `${response.description}: ifVersion did not match${currentVersion === null ? "" : ` (the current version is ${currentVersion})`}; read the secret again and retry.`
        : `${response.description} conflicts with what the vault holds${said}.`;
    return [AgentVaultConflictError, { currentVersion }, message];
  },
  "rate-limit": ({ response, details }) => {
    const retryAfter =
      response.retryAfterMs === null
        ? numberOrNull(pick(details, "retry_after"))
        : Math.ceil(response.retryAfterMs / 1000);
    const wait = retryAfter === null ? "" : ` Retry after ${retryAfter} s.`;
    return [
      AgentVaultRateLimitError,
      { retryAfter },
      `The vault rate-limited ${response.description}.${wait}`,
    ];
  },
  "approval-pending": ({ response, text }) => {
    const approvalRequestId = text(...wireNames("approval_request_id", "error"));
    const wait =
      approvalRequestId === null
        ? "Wait for the approval"
        : `Wait with vault.waitForApproval("${approvalRequestId}")`;
    return [
      AgentVaultApprovalPendingError,
      { approvalRequestId },
      `${response.description} needs a person's approval. ${wait}, then try again.`,
    ];
  },
  timeout: ({ response }) => [
    AgentVaultTimeoutError,
    {},
    `The vault timed out on ${response.description} (HTTP 408); try again later.`,
  ],
  server: ({ response }) => [
    AgentVaultServerError,
    {},
    `The vault failed on ${response.description} (HTTP ${response.status}); try again later.`,
  ],
  other: ({ response, said }) => [
    AgentVaultError,
    {},
    `The vault answered HTTP ${response.status} to ${response.description}${said}.`,
  ],
};

// Every protocol error code has a kind; FORBIDDEN is the hosted product's name for a 403.
const KIND_BY_CODE: Readonly<Record<ErrorCode | "FORBIDDEN", string>> = {
  VALIDATION_ERROR: "validation",
  PAYLOAD_TOO_LARGE: "validation",
  UNAUTHORIZED: "auth",
  SCOPE_DENIED: "permission",
  IP_NOT_ALLOWED: "permission",
  APPROVAL_DENIED: "permission",
  FORBIDDEN: "permission",
  SECRET_NOT_FOUND: "not-found",
  NOT_FOUND: "not-found",
  CONFLICT: "conflict",
  PRECONDITION_FAILED: "conflict",
  RATE_LIMITED: "rate-limit",
  APPROVAL_PENDING: "approval-pending",
  INTERNAL: "server",
};

/** The kind of a response without a code this client knows (5xx is `server`). */
const KIND_BY_STATUS: Readonly<Record<number, string>> = {
  202: "approval-pending",
  400: "validation",
  401: "auth",
  403: "permission",
  404: "not-found",
  408: "timeout",
  409: "conflict",
  410: "not-found",
  412: "conflict",
  413: "validation",
  422: "validation",
  429: "rate-limit",
};

/**
 * THE factory that turns a failed response into a typed error (docs/protocol.md's error table): the
 * `error.code` decides when the client knows it, otherwise the HTTP status.
 */
export function errorFromResponse(response: ErrorResponse): AgentVaultError {
  const { status } = response;
  const details = errorDetails(response.body);
  // Second line of defence: the server never puts a value or credential into an error, but
  // if one slipped through it must not reach logs (or the stack trace) via this error.
  // Fields are cleaned too: they reach logs through inspect().
  const clean = (text: string) => redactText(text, response.sensitiveValues);
  const cleanOrNull = (text: string | null) => (text === null ? null : clean(text));
  const code =
    stringOrNull(details.code) ??
    (status === 202
      ? "APPROVAL_PENDING"
      : status === 408
        ? "TIMEOUT"
        : status >= 500
          ? "INTERNAL"
          : `HTTP_${status}`);
  const message = stringOrNull(details.message);
  const kind =
    (KIND_BY_CODE as Readonly<Record<string, string | undefined>>)[code] ??
    KIND_BY_STATUS[status] ??
    (status >= 500 ? "server" : "other");
  const [ErrorClass, fields, text] = (KINDS[kind] ?? KINDS.other!)({
    response,
    code,
    said: message === null ? "" : `: ${message}`,
    details,
    clean,
    text: (...names) => cleanOrNull(stringOrNull(pick(details, ...names))),
  });
  const requestId = cleanOrNull(response.requestId);
  const suffix = requestId === null ? "" : ` (request id ${requestId})`;
  return new ErrorClass(clean(`${text}${suffix}`), {
    ...fields,
    code: clean(code),
    status,
    requestId,
  });
}

/** The `error` object of an error body (or the body itself for servers that skip the wrapper). */
function errorDetails(body: unknown): WireObject {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return {};
  const wrapped = (body as WireObject).error;
  if (typeof wrapped === "object" && wrapped !== null && !Array.isArray(wrapped)) {
    return { ...(body as WireObject), ...(wrapped as WireObject) };
  }
  return body as WireObject;
}
