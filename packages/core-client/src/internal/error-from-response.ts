import { APPROVAL_REQUEST_ID_NAMES } from "@agentsecretstore/protocol";
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
import { isWireObject, numberOrNull, pick, stringOrNull, type WireObject } from "./wire-fields.js";

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

/** Reads a text field of the details, scrubbed of credentials and sent values; `null` when absent. */
type Text = (value: unknown) => string | null;

/** A kind's fields (as its class takes them) and the facts its message states (falsy: none). */
type Describe = (
  details: WireObject,
  text: Text,
  response: ErrorResponse,
) => readonly [fields: Readonly<Record<string, unknown>>, ...facts: unknown[]];

/** A kind of failure: its error class, what to do about it (the message's last words), its details. */
type Kind = readonly [errorClass: typeof AgentVaultError, hint?: string, describe?: Describe];

// docs/protocol.md's error table, kind by kind.
const VALIDATION: Kind = [
  AgentVaultValidationError,
  "Fix the request; retrying will not help.",
  (details, text) => {
    const issues = (Array.isArray(details.issues) ? (details.issues as unknown[]) : [])
      .filter((issue): issue is WireObject => typeof issue === "object" && issue !== null)
      .map((issue) => ({ field: text(issue.field) ?? "", message: text(issue.message) ?? "" }));
    const limit = numberOrNull(details.limit);
    return [
      { issues },
      ...issues.map((issue) => `${issue.field}: ${issue.message}`),
      limit !== null && `the limit is ${limit} bytes`,
    ];
  },
];
const NOT_FOUND: Kind = [
  AgentVaultNotFoundError,
  "Check the path, or list its namespace with listSecrets().",
  (details, text) => {
    const path = text(details.path);
    const version = numberOrNull(details.version);
    return [
      { path, version },
      // Our server's message says it already; a server that gave none gets it stated.
      path !== null &&
        details.message === undefined &&
        `no secret at "${path}"${version === null ? "" : ` with version ${version}`}`,
    ];
  },
];
const CONFLICT: Kind = [
  AgentVaultConflictError,
  "Read the secret again and retry.",
  (details) => {
    const currentVersion = numberOrNull(details.current_version);
    return [
      { currentVersion },
      currentVersion !== null && `the current version is ${currentVersion}`,
    ];
  },
];
const TIMEOUT: Kind = [AgentVaultTimeoutError, "Try again later."];
const SERVER: Kind = [
  AgentVaultServerError,
  "Try again later; quote the request id to the vault's operator.",
];

/**
 * The kind of each status (docs/protocol.md's error table: every code has one status, so the
 * status tells the kind); any other 5xx is a server error. The one code whose kind is not its
 * status's is UPSTREAM_TIMEOUT (504, a broker route's upstream did not answer in time).
 */
const KIND_BY_STATUS: Readonly<Record<number, Kind>> = {
  202: [
    AgentVaultApprovalPendingError,
    "A person has to approve it first.",
    (details, text) => {
      const approvalRequestId = text(pick(details, ...APPROVAL_REQUEST_ID_NAMES));
      return [
        { approvalRequestId },
        approvalRequestId !== null && `wait with waitForApproval(vault, "${approvalRequestId}")`,
      ];
    },
  ],
  400: VALIDATION,
  401: [
    AgentVaultAuthError,
    "The credential is unknown, expired, revoked or used up: check agentKey / ASS_AGENT_KEY or token / ASS_TOKEN.",
  ],
  403: [
    AgentVaultPermissionError,
    "Use a credential whose scopes cover it.",
    (details, text) => {
      const requiredScope = text(details.required_scope);
      return [
        { path: text(details.path), requiredScope },
        requiredScope !== null && `it needs the scope "${requiredScope}"`,
      ];
    },
  ],
  404: NOT_FOUND,
  408: TIMEOUT,
  409: CONFLICT,
  410: NOT_FOUND,
  412: CONFLICT,
  413: VALIDATION,
  422: VALIDATION,
  // INTEGRITY_FAILED: the stored secret was changed outside the server; an operator must check.
  423: SERVER,
  429: [
    AgentVaultRateLimitError,
    "Slow down.",
    (details, _text, response) => {
      const retryAfter =
        response.retryAfterMs === null
          ? numberOrNull(details.retry_after)
          : Math.ceil(response.retryAfterMs / 1000);
      return [{ retryAfter }, retryAfter !== null && `retry after ${retryAfter} s`];
    },
  ],
};

/**
 * THE factory that turns a failed response into a typed error (docs/protocol.md's error table):
 * the HTTP status decides the class. The message is
 * `The vault answered <status> <code> to <request>: <server's message>; <details>. <what to do>`.
 */
export function errorFromResponse(response: ErrorResponse): AgentVaultError {
  const { status } = response;
  const details = errorDetails(response.body);
  // Second line of defence: the server never puts a value or credential into an error, but
  // if one slipped through it must not reach logs (or the stack trace) via this error.
  // Fields are cleaned too: they reach logs through inspect().
  const clean = (text: string) => redactText(text, response.sensitiveValues);
  const text: Text = (value) => (typeof value === "string" ? clean(value) : null);
  const code =
    stringOrNull(details.code) ??
    (status === 202
      ? "APPROVAL_PENDING"
      : status === 408
        ? "TIMEOUT"
        : status >= 500
          ? "INTERNAL"
          : `HTTP_${status}`);
  const [ErrorClass, hint, describe] =
    code === "UPSTREAM_TIMEOUT"
      ? TIMEOUT
      : (KIND_BY_STATUS[status] ?? (status >= 500 ? SERVER : [AgentVaultError]));
  const [fields, ...facts] = describe?.(details, text, response) ?? [{}];
  const stated = facts.filter(Boolean);
  const said = text(details.message);
  const requestId = text(response.requestId);
  const message =
    `The vault answered ${status} ${code} to ${response.description}` +
    `${said === null ? "" : `: ${said}`}${stated.length > 0 ? `; ${stated.join("; ")}` : ""}.` +
    `${hint === undefined ? "" : ` ${hint}`}${requestId === null ? "" : ` (request id ${requestId})`}`;
  return new ErrorClass(clean(message), { ...fields, code: clean(code), status, requestId });
}

/** The `error` object of an error body (or the body itself for servers that skip the wrapper). */
function errorDetails(body: unknown): WireObject {
  if (!isWireObject(body)) return {};
  const wrapped = body.error;
  return isWireObject(wrapped) ? { ...body, ...wrapped } : body;
}
