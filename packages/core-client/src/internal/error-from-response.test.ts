import { describe, expect, it } from "vitest";
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
import { type ErrorResponse, errorFromResponse } from "./error-from-response.js";

function failed(
  status: number,
  error: Record<string, unknown> | null,
  extra: Partial<ErrorResponse> = {},
) {
  return errorFromResponse({
    description: "GET /v1/secrets/production/db",
    status,
    body: error === null ? null : { error },
    requestId: "req-42",
    retryAfterMs: null,
    ...extra,
  });
}

describe("errorFromResponse: docs/protocol.md's error table", () => {
  it.each([
    [400, "VALIDATION_ERROR", AgentVaultValidationError],
    [401, "UNAUTHORIZED", AgentVaultAuthError],
    [403, "SCOPE_DENIED", AgentVaultPermissionError],
    [403, "IP_NOT_ALLOWED", AgentVaultPermissionError],
    [403, "APPROVAL_DENIED", AgentVaultPermissionError],
    [404, "SECRET_NOT_FOUND", AgentVaultNotFoundError],
    [409, "CONFLICT", AgentVaultConflictError],
    [412, "PRECONDITION_FAILED", AgentVaultConflictError],
    [413, "PAYLOAD_TOO_LARGE", AgentVaultValidationError],
    [423, "INTEGRITY_FAILED", AgentVaultServerError],
    [429, "RATE_LIMITED", AgentVaultRateLimitError],
    [500, "INTERNAL", AgentVaultServerError],
    [503, "INTERNAL", AgentVaultServerError],
    [502, "UPSTREAM_FAILED", AgentVaultServerError],
    [504, "UPSTREAM_TIMEOUT", AgentVaultTimeoutError],
    [403, "FORBIDDEN", AgentVaultPermissionError],
    [202, "APPROVAL_PENDING", AgentVaultApprovalPendingError],
  ])("maps %i %s to %o with code, status and requestId", (status, code, errorClass) => {
    const error = failed(status, { code, message: "server says" });
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(AgentVaultError);
    expect(error.name).toBe(errorClass.name);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.requestId).toBe("req-42");
    expect(error.message).toContain("req-42");
  });

  it.each([
    [400, AgentVaultValidationError, "HTTP_400"],
    [401, AgentVaultAuthError, "HTTP_401"],
    [403, AgentVaultPermissionError, "HTTP_403"],
    [404, AgentVaultNotFoundError, "HTTP_404"],
    [408, AgentVaultTimeoutError, "TIMEOUT"],
    [409, AgentVaultConflictError, "HTTP_409"],
    [429, AgentVaultRateLimitError, "HTTP_429"],
    [502, AgentVaultServerError, "INTERNAL"],
    [504, AgentVaultServerError, "INTERNAL"],
    [202, AgentVaultApprovalPendingError, "APPROVAL_PENDING"],
  ])("falls back to the status when the body has no code (%i)", (status, errorClass, code) => {
    const error = failed(status, null);
    expect(error).toBeInstanceOf(errorClass);
    expect(error.code).toBe(code);
  });

  it("uses the base class for a status it does not know", () => {
    const error = failed(418, { code: "TEAPOT", message: "short and stout" });
    expect(error.constructor).toBe(AgentVaultError);
    expect(error.code).toBe("TEAPOT");
    expect(error.message).toContain("short and stout");
  });
});

describe("errorFromResponse: details become fields", () => {
  it("gives a 403 its path and required scope", () => {
    const error = failed(403, {
      code: "SCOPE_DENIED",
      message: "denied",
      path: "production/db",
      required_scope: "secrets:read:production/db",
    }) as AgentVaultPermissionError;
    expect(error.path).toBe("production/db");
    expect(error.requiredScope).toBe("secrets:read:production/db");
    expect(error.message).toContain('needs the scope "secrets:read:production/db"');
  });

  it("gives a 404 its path and version", () => {
    const error = failed(404, {
      code: "SECRET_NOT_FOUND",
      path: "production/db",
      version: 3,
    }) as AgentVaultNotFoundError;
    expect(error.path).toBe("production/db");
    expect(error.version).toBe(3);
    expect(error.message).toContain('no secret at "production/db" with version 3');
  });

  it("does not repeat a 404's path when the server's message states it", () => {
    const error = failed(404, {
      code: "SECRET_NOT_FOUND",
      message: "No secret at production/db",
      path: "production/db",
    }) as AgentVaultNotFoundError;
    expect(error.path).toBe("production/db");
    expect(error.message.match(/no secret at/gi)).toHaveLength(1);
    expect(error.message).toContain("No secret at production/db. Check the path");
  });

  it("gives a 412 the current version", () => {
    const error = failed(412, {
      code: "PRECONDITION_FAILED",
      current_version: 7,
    }) as AgentVaultConflictError;
    expect(error.currentVersion).toBe(7);
    expect(error.message).toContain("current version is 7");
  });

  it("gives a 429 the Retry-After header in seconds, rounding up", () => {
    const error = failed(429, { code: "RATE_LIMITED", retry_after: 99 }, { retryAfterMs: 2500 });
    expect((error as AgentVaultRateLimitError).retryAfter).toBe(3);
  });

  it("gives a 429 the body's retry_after when there is no header", () => {
    const error = failed(429, { code: "RATE_LIMITED", retry_after: 12 });
    expect((error as AgentVaultRateLimitError).retryAfter).toBe(12);
    expect(error.message).toContain("retry after 12 s");
  });

  it("gives a 202 the approval request id under either name", () => {
    const current = failed(202, { code: "APPROVAL_PENDING", approval_request_id: "apr_1" });
    const older = failed(202, { code: "APPROVAL_PENDING", approval_id: "apr_2" });
    expect((current as AgentVaultApprovalPendingError).approvalRequestId).toBe("apr_1");
    expect((older as AgentVaultApprovalPendingError).approvalRequestId).toBe("apr_2");
    expect(current.message).toContain('waitForApproval(vault, "apr_1")');
  });

  it("gives a 400 its issues", () => {
    const error = failed(400, {
      code: "VALIDATION_ERROR",
      issues: [{ field: "teir", message: "unknown field" }],
    }) as AgentVaultValidationError;
    expect(error.issues).toEqual([{ field: "teir", message: "unknown field" }]);
    expect(error.message).toContain("teir: unknown field");
  });

  it("reads details from a body without the error wrapper", () => {
    const error = errorFromResponse({
      description: "GET /v1/secrets/x",
      status: 403,
      body: { code: "SCOPE_DENIED", required_scope: "secrets:read:x" },
      requestId: null,
      retryAfterMs: null,
    });
    expect((error as AgentVaultPermissionError).requiredScope).toBe("secrets:read:x");
    expect(error.requestId).toBeNull();
  });
});

describe("errorFromResponse: redaction", () => {
  it("never lets a credential or a sent value through the message, issues or stack", () => {
    const error = failed(
      400,
      {
        code: "VALIDATION_ERROR",
        message: "bad token ast_tok_leaked123 for value canary-value-1f3a",
        issues: [{ field: "value", message: "canary-value-1f3a is too long" }],
      },
      { sensitiveValues: ["canary-value-1f3a"] },
    ) as AgentVaultValidationError;
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error.issues)}`;
    expect(everything).not.toContain("ast_tok_leaked123");
    expect(everything).not.toContain("canary-value-1f3a");
  });
});
