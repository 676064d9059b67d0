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
  type ValidationIssue,
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

/**
 * THE factory that turns a failed response into a typed error (API.md's table): the
 * `error.code` decides when the client knows it, otherwise the HTTP status.
 */
export function errorFromResponse(response: ErrorResponse): AgentVaultError {
  const details = errorDetails(response.body);
  const code = stringOrNull(details.code) ?? defaultCode(response.status);
  // Second line of defence: the server never puts a value or credential into an error, but
  // if one slipped through it must not reach logs (or the stack trace) via this error.
  const clean = (text: string) => redactText(text, response.sensitiveValues);
  return createError(code, response, details, clean);
}

function createError(
  code: string,
  response: ErrorResponse,
  details: WireObject,
  clean: (text: string) => string,
): AgentVaultError {
  const { description, status } = response;
  // Every text the server sent is cleaned, fields included: they reach logs through inspect().
  const cleanOrNull = (text: string | null) => (text === null ? null : clean(text));
  const requestId = cleanOrNull(response.requestId);
  const base = { code: clean(code), status, requestId };
  const suffix = requestId === null ? "" : ` (request id ${requestId})`;
  const serverMessage = stringOrNull(details.message);
  const said = serverMessage === null ? "" : `: ${serverMessage}`;

  switch (kindOf(code, status)) {
    case "validation": {
      const issues = issuesOf(details).map((issue) => ({
        field: clean(issue.field),
        message: clean(issue.message),
      }));
      const limit = numberOrNull(details.limit);
      const what =
        issues.length > 0
          ? `: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join("; ")}`
          : said;
      const hint =
        limit === null
          ? "Fix the request; retrying will not help."
          : `The limit is ${limit} bytes.`;
      return new AgentVaultValidationError(
        clean(`The vault rejected ${description} as invalid${what}. ${hint}${suffix}`),
        { ...base, issues },
      );
    }
    case "auth":
      return new AgentVaultAuthError(
        clean(
          `The vault did not accept the credential for ${description} (unknown, expired, revoked or used up). Check agentKey / ASS_AGENT_KEY or token / ASS_TOKEN, or request a new token.${suffix}`,
        ),
        base,
      );
    case "permission": {
      const path = cleanOrNull(stringOrNull(details.path));
      const requiredScope = cleanOrNull(stringOrNull(pick(details, "required_scope")));
      return new AgentVaultPermissionError(
        clean(`${permissionMessage(code, description, requiredScope, said)}${suffix}`),
        { ...base, path, requiredScope },
      );
    }
    case "not-found": {
      const path = cleanOrNull(stringOrNull(details.path));
      const version = numberOrNull(details.version);
      const what =
        path === null
          ? `Nothing found for ${description}${said}.`
          : `No secret at "${path}"${version === null ? "" : ` with version ${version}`} (${description}).`;
      return new AgentVaultNotFoundError(
        clean(`${what} Check the path, or list its namespace with listSecrets().${suffix}`),
        { ...base, path, version },
      );
    }
    case "conflict": {
      const currentVersion = numberOrNull(pick(details, "current_version"));
      const message =
        code === "PRECONDITION_FAILED"
          ? `${description} was refused because ifVersion did not match${currentVersion === null ? "" : ` (the current version is ${currentVersion})`}. Read the secret again and retry with its current version.`
          : `${description} conflicts with what the vault holds${said}.`;
      return new AgentVaultConflictError(clean(`${message}${suffix}`), { ...base, currentVersion });
    }
    case "rate-limit": {
      const retryAfter =
        response.retryAfterMs === null
          ? numberOrNull(pick(details, "retry_after"))
          : Math.ceil(response.retryAfterMs / 1000);
      const wait = retryAfter === null ? "" : ` Retry after ${retryAfter} s.`;
      return new AgentVaultRateLimitError(
        clean(`The vault rate-limited ${description}.${wait}${suffix}`),
        { ...base, retryAfter },
      );
    }
    case "approval-pending": {
      const approvalRequestId = cleanOrNull(
        stringOrNull(pick(details, "approval_request_id", "approval_id")),
      );
      const wait =
        approvalRequestId === null
          ? "Wait for the approval"
          : `Wait with vault.waitForApproval("${approvalRequestId}")`;
      return new AgentVaultApprovalPendingError(
        clean(
          `A person has to approve access before ${description} succeeds. ${wait}, then try again.${suffix}`,
        ),
        { ...base, approvalRequestId },
      );
    }
    case "timeout":
      return new AgentVaultTimeoutError(
        clean(
          `The vault timed out waiting for ${description} (HTTP 408). Try again later.${suffix}`,
        ),
        base,
      );
    case "server":
      return new AgentVaultServerError(
        clean(
          `The vault failed on ${description} (HTTP ${status}). Try again later; quote the request id to the vault's operator.${suffix}`,
        ),
        base,
      );
    default:
      return new AgentVaultError(
        clean(`The vault answered HTTP ${status} to ${description}${said}.${suffix}`),
        base,
      );
  }
}

type ErrorKind =
  | "validation"
  | "auth"
  | "permission"
  | "not-found"
  | "conflict"
  | "rate-limit"
  | "approval-pending"
  | "timeout"
  | "server"
  | "other";

const KIND_BY_CODE: Readonly<Record<string, ErrorKind>> = {
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

function kindOf(code: string, status: number): ErrorKind {
  const byCode = KIND_BY_CODE[code];
  if (byCode !== undefined) return byCode;
  if (status >= 500) return "server";
  switch (status) {
    case 400:
    case 413:
    case 422:
      return "validation";
    case 401:
      return "auth";
    case 403:
      return "permission";
    case 404:
    case 410:
      return "not-found";
    case 408:
      return "timeout";
    case 409:
    case 412:
      return "conflict";
    case 429:
      return "rate-limit";
    case 202:
      return "approval-pending";
    default:
      return "other";
  }
}

function defaultCode(status: number): string {
  if (status === 202) return "APPROVAL_PENDING";
  if (status === 408) return "TIMEOUT";
  if (status >= 500) return "INTERNAL";
  return `HTTP_${status}`;
}

function permissionMessage(
  code: string,
  description: string,
  requiredScope: string | null,
  said: string,
): string {
  switch (code) {
    case "SCOPE_DENIED":
      return requiredScope === null
        ? `The credential's scopes do not cover ${description}. Use a token whose scope covers this path.`
        : `The credential may not ${description}: it needs the scope "${requiredScope}". Use a token whose scope covers it.`;
    case "IP_NOT_ALLOWED":
      return `The credential may not be used from this address (${description}). Call from an address in its allowedIps, or mint a token for this one.`;
    case "APPROVAL_DENIED":
      return `A person denied access for ${description}. Ask an approver, or request a new token.`;
    default:
      return `The vault refused ${description}${said}.`;
  }
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

function issuesOf(details: WireObject): ValidationIssue[] {
  const issues = details.issues;
  if (!Array.isArray(issues)) return [];
  return issues
    .filter((issue): issue is WireObject => typeof issue === "object" && issue !== null)
    .map((issue) => ({
      field: stringOrNull(issue.field) ?? "",
      message: stringOrNull(issue.message) ?? "",
    }));
}
