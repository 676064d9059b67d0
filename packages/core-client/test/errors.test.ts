import nock from "nock";
import { describe, expect, it } from "vitest";
import {
  AgentVaultApprovalPendingError,
  AgentVaultAuthError,
  AgentVaultConflictError,
  AgentVaultError,
  AgentVaultNetworkError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultRateLimitError,
  AgentVaultServerError,
  AgentVaultValidationError,
} from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import { ORIGIN, rejectionOf, testVault, VALUE, wireError } from "./support/vault-fixtures.js";

useNock();

const cases = [
  [400, "VALIDATION_ERROR", AgentVaultValidationError],
  [401, "UNAUTHORIZED", AgentVaultAuthError],
  [403, "SCOPE_DENIED", AgentVaultPermissionError],
  [403, "IP_NOT_ALLOWED", AgentVaultPermissionError],
  [403, "APPROVAL_DENIED", AgentVaultPermissionError],
  [404, "SECRET_NOT_FOUND", AgentVaultNotFoundError],
  [409, "CONFLICT", AgentVaultConflictError],
  [412, "PRECONDITION_FAILED", AgentVaultConflictError],
  [413, "PAYLOAD_TOO_LARGE", AgentVaultValidationError],
  [429, "RATE_LIMITED", AgentVaultRateLimitError],
  [500, "INTERNAL", AgentVaultServerError],
  [202, "APPROVAL_PENDING", AgentVaultApprovalPendingError],
] as const;

describe("error mapping over HTTP", () => {
  it.each(cases)(
    "a %i %s from the server throws %o carrying the request id",
    async (status, code, errorClass) => {
      nock(ORIGIN)
        .get("/v1/secrets/production/db")
        .reply(status, wireError(code), { "x-request-id": `req-${code}` });
      const error = await rejectionOf(testVault().getSecret("production/db"));
      expect(error).toBeInstanceOf(errorClass);
      expect(error).toBeInstanceOf(AgentVaultError);
      expect((error as AgentVaultError).code).toBe(code);
      expect((error as AgentVaultError).status).toBe(status);
      expect((error as AgentVaultError).requestId).toBe(`req-${code}`);
    },
  );

  it("a 202 on a read carries the approval request id", async () => {
    nock(ORIGIN)
      .get("/v1/secrets/production/db")
      .reply(
        202,
        wireError("APPROVAL_PENDING", { approval_request_id: "apr_5", approval_id: "apr_5" }),
      );
    const error = await rejectionOf(testVault().getSecret("production/db"));
    expect((error as AgentVaultApprovalPendingError).approvalRequestId).toBe("apr_5");
  });

  it("a 403 carries the path and the required scope", async () => {
    nock(ORIGIN)
      .get("/v1/secrets/production/db")
      .reply(
        403,
        wireError("SCOPE_DENIED", {
          path: "production/db",
          required_scope: "secrets:read:production/db",
        }),
      );
    const error = (await rejectionOf(
      testVault().getSecret("production/db"),
    )) as AgentVaultPermissionError;
    expect(error.path).toBe("production/db");
    expect(error.requiredScope).toBe("secrets:read:production/db");
  });

  it("a 429 carries retryAfter in seconds from the header", async () => {
    nock(ORIGIN)
      .get("/v1/secrets/a/b")
      .reply(429, wireError("RATE_LIMITED", { retry_after: 30 }), { "retry-after": "30" });
    const error = (await rejectionOf(testVault().getSecret("a/b"))) as AgentVaultRateLimitError;
    expect(error.retryAfter).toBe(30);
  });

  it("a 412 carries the current version", async () => {
    nock(ORIGIN)
      .put("/v1/secrets/a/b")
      .reply(412, wireError("PRECONDITION_FAILED", { current_version: 4 }));
    const error = (await rejectionOf(
      testVault().setSecret("a/b", VALUE, { ifVersion: 3 }),
    )) as AgentVaultConflictError;
    expect(error.currentVersion).toBe(4);
  });

  it("a 400 carries the issues", async () => {
    nock(ORIGIN)
      .put("/v1/secrets/a/b")
      .reply(
        400,
        wireError("VALIDATION_ERROR", { issues: [{ field: "tier", message: "unknown tier" }] }),
      );
    const error = (await rejectionOf(
      testVault().setSecret("a/b", VALUE),
    )) as AgentVaultValidationError;
    expect(error.issues).toEqual([{ field: "tier", message: "unknown tier" }]);
  });

  it("a proxy's HTML error page still becomes a typed error", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").reply(502, "<html>Bad Gateway</html>");
    const error = await rejectionOf(testVault().getSecret("a/b"));
    expect(error).toBeInstanceOf(AgentVaultServerError);
    expect((error as AgentVaultError).status).toBe(502);
  });

  it("a refused connection becomes a network error that names the fix", async () => {
    // Port 9 on loopback: nothing listens there, so the connection is refused locally.
    nock.enableNetConnect("127.0.0.1:9");
    try {
      const vault = testVault({ baseUrl: "http://127.0.0.1:9" });
      const error = await rejectionOf(vault.getSecret("a/b"));
      expect(error).toBeInstanceOf(AgentVaultNetworkError);
      expect(error.message).toContain("ASS_BASE_URL");
    } finally {
      nock.disableNetConnect();
    }
  });
});
