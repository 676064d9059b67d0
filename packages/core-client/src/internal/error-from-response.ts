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

type Kind =
  | "validation"
  | "auth"
  | "permission"
  | "not-found"
  | "conflict"
  | "rate-limit"
  | "approval-pending"
  | "timeout"
  | "server";

// docs/protocol.md's error table: each kind's error class, and what to do about it (the message's last words).
const KINDS: Readonly<Record<Kind, readonly [typeof AgentVaultError, string]>> = {
  validation: [AgentVaultValidationError, "Fix the request; retrying will not help."],
  auth: [
    AgentVaultAuthError,
    "The credential is unknown, expired, revoked or used up: check agentKey / ASS_AGENT_KEY or token / ASS_TOKEN.",
  ],
  permission: [AgentVaultPermissionError, "Use a credential whose scopes cover it."],
  "not-found": [
    AgentVaultNotFoundError,
    "Check the path, or list its namespace with listSecrets().",
  ],
  conflict: [AgentVaultConflictError, "Read the secret again and retry."],
  "rate-limit": [AgentVaultRateLimitError, "Slow down."],
  "approval-pending": [AgentVaultApprovalPendingError, "A person has to approve it first."],
  timeout: [AgentVaultTimeoutError, "Try again later."],
  server: [AgentVaultServerError, "Try again later; quote the request id to the vault's operator."],
};

/**
 * The kind of each status (docs/protocol.md's error table: every code has one status, so the
 * status tells the kind); any other 5xx is `server`. The one code whose kind is not its
 * status's is UPSTREAM_TIMEOUT (504, a broker route's upstream did not answer in time).
 */
const KIND_BY_STATUS: Readonly<Record<number, Kind>> = {
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
  // INTEGRITY_FAILED: the stored secret was changed outside the server; an operator must check.
  423: "server",
  429: "rate-limit",
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
  const text = (...names: string[]) => {
    const value = stringOrNull(pick(details, ...names));
    return value === null ? null : clean(value);
  };
  const code =
    stringOrNull(details.code) ??
    (status === 202
      ? "APPROVAL_PENDING"
      : status === 408
        ? "TIMEOUT"
        : status >= 500
          ? "INTERNAL"
          : `HTTP_${status}`);
  const kind =
    code === "UPSTREAM_TIMEOUT"
      ? "timeout"
      : (KIND_BY_STATUS[status] ?? (status >= 500 ? "server" : undefined));
  const [ErrorClass, hint] = kind === undefined ? [AgentVaultError, ""] : KINDS[kind];
  const fields: Record<string, unknown> = {};
  const facts: string[] = [];
  switch (kind) {
    case "validation": {
      const issues = (Array.isArray(details.issues) ? (details.issues as unknown[]) : [])
        .filter((issue): issue is WireObject => typeof issue === "object" && issue !== null)
        .map((issue) => ({
          field: clean(stringOrNull(issue.field) ?? ""),
          message: clean(stringOrNull(issue.message) ?? ""),
        }));
      fields.issues = issues;
      for (const issue of issues) facts.push(`${issue.field}: ${issue.message}`);
      const limit = numberOrNull(details.limit);
      if (limit !== null) facts.push(`the limit is ${limit} bytes`);
      break;
    }
    case "permission": {
      const requiredScope = text("required_scope");
      Object.assign(fields, { path: text("path"), requiredScope });
      if (requiredScope !== null) facts.push(`it needs the scope "${requiredScope}"`);
      break;
    }
    case "not-found": {
      const path = text("path");
      const version = numberOrNull(details.version);
      Object.assign(fields, { path, version });
      if (path !== null) {
        facts.push(`no secret at "${path}"${version === null ? "" : ` with version ${version}`}`);
      }
      break;
    }
    case "conflict": {
      const currentVersion = numberOrNull(pick(details, "current_version"));
      fields.currentVersion = currentVersion;
      if (currentVersion !== null) facts.push(`the current version is ${currentVersion}`);
      break;
    }
    case "rate-limit": {
      const retryAfter =
        response.retryAfterMs === null
          ? numberOrNull(pick(details, "retry_after"))
          : Math.ceil(response.retryAfterMs / 1000);
      fields.retryAfter = retryAfter;
      if (retryAfter !== null) facts.push(`retry after ${retryAfter} s`);
      break;
    }
    case "approval-pending": {
      const approvalRequestId = text(...APPROVAL_REQUEST_ID_NAMES);
      fields.approvalRequestId = approvalRequestId;
      if (approvalRequestId !== null) {
        facts.push(`wait with vault.waitForApproval("${approvalRequestId}")`);
      }
      break;
    }
  }
  const said = text("message");
  const requestId = response.requestId === null ? null : clean(response.requestId);
  const message =
    `The vault answered ${status} ${code} to ${response.description}` +
    `${said === null ? "" : `: ${said}`}${facts.length > 0 ? `; ${facts.join("; ")}` : ""}.` +
    `${hint === "" ? "" : ` ${hint}`}${requestId === null ? "" : ` (request id ${requestId})`}`;
  return new ErrorClass(clean(message), { ...fields, code: clean(code), status, requestId });
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
