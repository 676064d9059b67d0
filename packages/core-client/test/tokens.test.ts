import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type AgentVault,
  AgentVaultAbortError,
  AgentVaultApprovalTimeoutError,
  AgentVaultAuthError,
  AgentVaultConfigurationError,
  AgentVaultError,
  AgentVaultValidationError,
  type ApprovalRequest,
  ScopedToken,
  waitForApproval,
} from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  AGENT_KEY,
  CHILD_TOKEN,
  capturingLogger,
  ORIGIN,
  rejectionOf,
  testVault,
  untilAttempts,
  wireToken,
} from "./support/vault-fixtures.js";

useNock();

describe("requestToken", () => {
  it("POSTs the scope and limits and returns an approved token", async () => {
    let body: unknown;
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${AGENT_KEY}` } })
      .post("/v1/tokens", (sent) => {
        body = sent;
        return true;
      })
      .reply(201, wireToken({ max_uses: 1, uses_remaining: 1, allowed_ips: ["10.0.1.50"] }));
    const token = await testVault().requestToken({
      scope: "secrets:read:production/openai/*",
      ttlSeconds: 900,
      description: "summariser",
      allowedIps: ["10.0.1.50"],
      maxUses: 1,
    });
    expect(body).toEqual({
      scope: "secrets:read:production/openai/*",
      ttl_seconds: 900,
      description: "summariser",
      allowed_ips: ["10.0.1.50"],
      max_uses: 1,
    });
    expect(token).toBeInstanceOf(ScopedToken);
    expect(token.value).toBe(CHILD_TOKEN);
    expect(token).toMatchObject({ tokenId: "tok_1", approvalStatus: "approved", maxUses: 1 });
  });

  it("returns a pending token on 202 instead of throwing", async () => {
    nock(ORIGIN)
      .post("/v1/tokens")
      .reply(
        202,
        wireToken({
          approval_status: "pending",
          approval_request_id: "apr_1",
          approval_id: "apr_1",
          requires_approval: true,
        }),
      );
    const token = await testVault().requestToken({ scope: "secrets:read:production/db/*" });
    expect(token.approvalStatus).toBe("pending");
    expect(token.approvalRequestId).toBe("apr_1");
    expect(token.requiresApproval).toBe(true);
  });

  it("sends several scopes as scopes", async () => {
    let body: unknown;
    nock(ORIGIN)
      .post("/v1/tokens", (sent) => {
        body = sent;
        return true;
      })
      .reply(201, wireToken());
    await testVault().requestToken({ scopes: ["secrets:read:a/*", "secrets:read:b/*"] });
    expect(body).toEqual({ scopes: ["secrets:read:a/*", "secrets:read:b/*"] });
  });

  it("mints a child token with the per-call token as credential", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${CHILD_TOKEN}` } })
      .post("/v1/tokens")
      .reply(201, wireToken({ token_id: "tok_child" }));
    const child = await testVault().requestToken({ scope: "secrets:read:a/*", token: CHILD_TOKEN });
    expect(child.tokenId).toBe("tok_child");
  });

  it("refuses a request without a scope, or with both forms", async () => {
    const vault = testVault();
    expect(await rejectionOf(vault.requestToken({}))).toBeInstanceOf(AgentVaultValidationError);
    expect(
      await rejectionOf(
        vault.requestToken({ scope: "secrets:read:a/*", scopes: ["secrets:read:b/*"] }),
      ),
    ).toBeInstanceOf(AgentVaultValidationError);
  });
});

describe("inspectToken", () => {
  /** `GET /v1/tokens/self`: the token's record, without its value. */
  function wireTokenRecord(overrides: Record<string, unknown> = {}) {
    const { token: _token, value: _value, ...record } = wireToken(overrides);
    return { ...record, uses: 2, revoked_at: null, issuer_type: "agent" };
  }

  it("GETs /tokens/self presenting the token, and maps its record", async () => {
    nock(ORIGIN, {
      reqheaders: { authorization: `Bearer ${CHILD_TOKEN}` },
      badheaders: ["idempotency-key"],
    })
      .get("/v1/tokens/self")
      .reply(200, wireTokenRecord({ max_uses: 5, uses_remaining: 3, allowed_ips: ["10.0.1.50"] }));
    const token = await testVault().inspectToken({ token: CHILD_TOKEN });
    expect(token).toBeInstanceOf(ScopedToken);
    expect(token).toMatchObject({
      tokenId: "tok_1",
      scopes: ["secrets:read:production/openai/*"],
      maxUses: 5,
      usesRemaining: 3,
      allowedIps: ["10.0.1.50"],
      approvalStatus: "approved",
    });
    expect(token.expiresAt).toEqual(new Date("2026-01-15T10:45:00.000Z"));
  });

  it("has an empty value, and still prints the redaction marker", async () => {
    nock(ORIGIN).get("/v1/tokens/self").reply(200, wireTokenRecord());
    const token = await testVault().inspectToken({ token: CHILD_TOKEN });
    expect(token.value).toBe("");
    expect(String(token)).toContain("[REDACTED]");
    expect(JSON.parse(JSON.stringify(token)).value).toBe("[REDACTED]");
  });

  it("presents the client's own token when the call gives none", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${CHILD_TOKEN}` } })
      .get("/v1/tokens/self")
      .reply(
        200,
        wireTokenRecord({
          approval_status: "pending",
          approval_request_id: "apr_1",
          requires_approval: true,
        }),
      );
    const token = await testVault({ token: CHILD_TOKEN }).inspectToken();
    expect(token.approvalStatus).toBe("pending");
    expect(token.approvalRequestId).toBe("apr_1");
    expect(token.requiresApproval).toBe(true);
  });

  it("throws AgentVaultAuthError for a revoked token, without naming it", async () => {
    nock(ORIGIN)
      .get("/v1/tokens/self")
      .reply(401, { error: { code: "UNAUTHORIZED", message: "unknown credential" } });
    const error = await rejectionOf(testVault().inspectToken({ token: CHILD_TOKEN }));
    expect(error).toBeInstanceOf(AgentVaultAuthError);
    expect(error.message).not.toContain(CHILD_TOKEN);
  });
});

describe("revokeToken", () => {
  it("revokes a ScopedToken by its id", async () => {
    nock(ORIGIN)
      .post("/v1/tokens")
      .reply(201, wireToken({ token_id: "tok_7" }));
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${AGENT_KEY}` } })
      .delete("/v1/tokens/tok_7")
      .reply(204);
    const vault = testVault();
    const token = await vault.requestToken({ scope: "secrets:read:a/*" });
    await vault.revokeToken(token);
  });

  it("revokes by token id, encoded as one segment", async () => {
    nock(ORIGIN).delete("/v1/tokens/tok%2F8").reply(204);
    await testVault().revokeToken("tok/8");
  });

  it("revokes a raw token value through /tokens/self, presenting that token", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${CHILD_TOKEN}` } })
      .delete("/v1/tokens/self")
      .reply(204);
    await testVault().revokeToken(CHILD_TOKEN);
  });
});

describe("waitForApproval", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const pending = { id: "apr_1", status: "pending", tier: "sensitive", scopes: [], approvals: [] };

  it("long-polls until the request is decided", async () => {
    nock(ORIGIN).get("/v1/approvals/apr_1").query({ wait: "25" }).reply(200, pending);
    nock(ORIGIN)
      .get("/v1/approvals/apr_1")
      .query({ wait: "25" })
      .reply(200, {
        ...pending,
        status: "approved",
        approvals: [{ by: "alice", at: "2026-01-15T10:31:00.000Z", comment: "ok" }],
        required_approvals: 1,
        decided_at: "2026-01-15T10:31:00.000Z",
      });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const logger = capturingLogger();
    const waiting = waitForApproval(testVault({ logger }), "apr_1");
    await untilAttempts(logger, 1);
    // This mock answers at once instead of holding the poll, so the client paces itself.
    await vi.advanceTimersByTimeAsync(1000);
    const decided = await waiting;
    expect(decided.status).toBe("approved");
    expect(decided.approvals).toEqual([
      { by: "alice", at: new Date("2026-01-15T10:31:00.000Z"), comment: "ok" },
    ]);
    expect(decided.decidedAt).toEqual(new Date("2026-01-15T10:31:00.000Z"));
  });

  it("waits out a critical approval's delay before returning it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    vi.setSystemTime(new Date("2026-01-15T10:30:00.000Z"));
    const approved = { ...pending, status: "approved", tier: "critical", required_approvals: 2 };
    nock(ORIGIN)
      .get("/v1/approvals/apr_1")
      .query(true)
      .reply(200, { ...approved, eligible_at: "2026-01-15T10:35:00.000Z" });
    nock(ORIGIN)
      .get("/v1/approvals/apr_1")
      .query(true)
      .reply(200, { ...approved, eligible_at: "2026-01-15T10:35:00.000Z" });
    const logger = capturingLogger();
    let settled = false;
    const waiting = waitForApproval(testVault({ logger }), "apr_1", { timeout: 600_000 }).finally(
      () => {
        settled = true;
      },
    );
    await untilAttempts(logger, 1);
    await vi.advanceTimersByTimeAsync(299_000);
    expect(settled).toBe(false);
    expect(nock.pendingMocks()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await waiting).eligibleAt).toEqual(new Date("2026-01-15T10:35:00.000Z"));
  });

  it("returns a denial as a result, not an error", async () => {
    nock(ORIGIN)
      .get("/v1/approvals/apr_1")
      .query(true)
      .reply(200, { ...pending, status: "denied" });
    expect((await waitForApproval(testVault(), "apr_1")).status).toBe("denied");
  });

  it("never asks the server to wait longer than the time left", async () => {
    nock(ORIGIN)
      .get("/v1/approvals/apr_1")
      .query({ wait: "2" })
      .reply(200, { ...pending, status: "approved" });
    await waitForApproval(testVault(), "apr_1", { timeout: 2_500, pollWaitSeconds: 25 });
  });

  it("throws ApprovalTimeoutError when the timeout passes first", async () => {
    nock(ORIGIN).get("/v1/approvals/apr_1").query(true).reply(200, pending);
    const error = await rejectionOf(
      waitForApproval(testVault(), "apr_1", { timeout: 50, pollWaitSeconds: 0 }),
    );
    expect(error).toBeInstanceOf(AgentVaultApprovalTimeoutError);
    expect(error).toBeInstanceOf(AgentVaultError);
    expect((error as AgentVaultApprovalTimeoutError).code).toBe("APPROVAL_TIMEOUT");
    expect((error as AgentVaultApprovalTimeoutError).approvalRequestId).toBe("apr_1");
  });

  it("rejects with an abort error when the caller aborts", async () => {
    nock(ORIGIN).get("/v1/approvals/apr_1").query(true).reply(200, pending);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await rejectionOf(
      waitForApproval(testVault(), "apr_1", { signal: controller.signal, pollWaitSeconds: 0 }),
    );
    expect(error).toBeInstanceOf(AgentVaultAbortError);
  });

  it("calls the waitForApproval method of a client that has its own (a wrapper, a test double)", async () => {
    const asked: string[] = [];
    const own = {
      waitForApproval: async (id: string) => {
        asked.push(id);
        return { ...pending, status: "approved" as const, id } as unknown as ApprovalRequest;
      },
    };
    expect((await waitForApproval(own, "apr_9")).status).toBe("approved");
    expect(asked).toEqual(["apr_9"]);
  });

  it("refuses anything else with a configuration error, sending nothing", async () => {
    const notAVault = { baseUrl: `${ORIGIN}/v1` } as unknown as AgentVault;
    const error = await rejectionOf(waitForApproval(notAVault, "apr_1"));
    expect(error).toBeInstanceOf(AgentVaultConfigurationError);
    expect((error as AgentVaultConfigurationError).code).toBe("INVALID_OPTION");
  });
});
