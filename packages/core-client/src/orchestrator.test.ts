import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AgentVault } from "./agent-vault.js";
import {
  AgentVaultApprovalTimeoutError,
  AgentVaultAuthError,
  AgentVaultConflictError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultServerError,
  AgentVaultValidationError,
} from "./errors.js";
import type { ApprovalRequest } from "./models/approval-request.js";
import type { ApprovalStatus } from "./models/approval-status.js";
import { ScopedToken } from "./models/scoped-token.js";
import { Orchestrator, type TokenIssuer, type TokenRequest } from "./orchestrator.js";
import type { ApprovalWaiting } from "./wait-for-approval.js";

const BASE_URL = "http://127.0.0.1:7070/v1";
const SCOPE = "secrets:read:production/openai/*";

function approval(id: string, status: ApprovalStatus): ApprovalRequest {
  return {
    id,
    status,
    tier: "sensitive",
    scopes: [SCOPE],
    requestedBy: "agent-1",
    description: null,
    approvals: [],
    requiredApprovals: 1,
    eligibleAt: null,
    decidedAt: null,
    path: null,
    createdAt: null,
    expiresAt: null,
  };
}

/** An in-memory vault that mints fake tokens and records every call. */
class FakeIssuer implements TokenIssuer, ApprovalWaiting {
  readonly baseUrl = BASE_URL;
  readonly requests: TokenRequest[] = [];
  readonly revoked: string[] = [];
  readonly waited: { id: string; options: unknown }[] = [];
  /** Approval status of the next minted tokens. */
  status: "approved" | "pending" | "denied" = "approved";
  /** What waitForApproval resolves with (or the error it throws). */
  approvalOutcome: ApprovalStatus | Error = "approved";
  /** Token ids whose revocation fails with this error. */
  readonly revokeFailures = new Map<string, Error>();
  #counter = 0;

  async requestToken(options: TokenRequest): Promise<ScopedToken> {
    this.requests.push(options);
    this.#counter += 1;
    const pending = this.status === "pending";
    return new ScopedToken({
      value: `ast_tok_fake${this.#counter}canary`,
      tokenId: `tok_${this.#counter}`,
      scope: options.scope ?? options.scopes?.[0] ?? "",
      scopes: options.scopes ?? (options.scope === undefined ? [] : [options.scope]),
      ttlSeconds: options.ttlSeconds ?? 3600,
      expiresAt: new Date("2026-01-15T11:00:00.000Z"),
      description: options.description ?? null,
      allowedIps: options.allowedIps ?? null,
      maxUses: options.maxUses ?? null,
      usesRemaining: options.maxUses ?? null,
      approvalStatus: this.status,
      approvalRequestId: pending ? `apr_${this.#counter}` : null,
      requiresApproval: pending,
    });
  }

  async revokeToken(tokenOrId: string): Promise<void> {
    const failure = this.revokeFailures.get(tokenOrId);
    if (failure !== undefined) throw failure;
    this.revoked.push(tokenOrId);
  }

  async waitForApproval(
    id: string,
    options?: { timeout?: number; signal?: AbortSignal },
  ): Promise<ApprovalRequest> {
    this.waited.push({ id, options });
    if (this.approvalOutcome instanceof Error) throw this.approvalOutcome;
    return approval(id, this.approvalOutcome);
  }
}

describe("Orchestrator", () => {
  it("accepts an AgentVault as its token issuer", () => {
    const vault: TokenIssuer = new AgentVault({
      agentKey: "ass_live_fakecanary",
      baseUrl: BASE_URL,
    });
    expect(vault.baseUrl).toBe(BASE_URL);
  });

  it("mints a token and hands it over as a value and as an env map", async () => {
    const vault = new FakeIssuer();
    const orchestrator = new Orchestrator(vault);
    const minted = await orchestrator.mint("researcher", {
      scope: SCOPE,
      ttlSeconds: 900,
      maxUses: 5,
      allowedIps: ["10.0.1.50"],
    });
    expect(vault.requests).toEqual([
      {
        scope: SCOPE,
        ttlSeconds: 900,
        maxUses: 5,
        allowedIps: ["10.0.1.50"],
        description: "subagent researcher",
      },
    ]);
    expect(minted.name).toBe("researcher");
    expect(minted.value).toBe("ast_tok_fake1canary");
    expect(minted.tokenId).toBe("tok_1");
    expect(minted.approvalStatus).toBe("approved");
    expect(minted.approvalRequestId).toBeNull();
    expect({ ...minted.env }).toEqual({ ASS_TOKEN: "ast_tok_fake1canary", ASS_BASE_URL: BASE_URL });
    expect(Object.keys(minted.env)).toEqual(["ASS_TOKEN", "ASS_BASE_URL"]);
  });

  it("merges constructor defaults under each mint's options and hands out an overridden base URL", async () => {
    const vault = new FakeIssuer();
    const orchestrator = new Orchestrator(vault, {
      defaults: { ttlSeconds: 600, maxUses: 1, description: "nightly run" },
      baseUrl: "http://127.0.0.1:9999/v1",
    });
    const minted = await orchestrator.mint("writer", { scopes: [SCOPE], maxUses: 3 });
    expect(vault.requests[0]).toEqual({
      scopes: [SCOPE],
      ttlSeconds: 600,
      maxUses: 3,
      description: "nightly run",
    });
    expect(minted.env.ASS_BASE_URL).toBe("http://127.0.0.1:9999/v1");
  });

  it("tracks what it minted", async () => {
    const orchestrator = new Orchestrator(new FakeIssuer());
    const first = await orchestrator.mint("a", { scope: SCOPE });
    const second = await orchestrator.mint("b", { scope: SCOPE });
    expect(orchestrator.minted()).toEqual([first, second]);
    expect(orchestrator.get("b")).toBe(second);
    expect(orchestrator.get("c")).toBeUndefined();
  });

  it("refuses a name that is already minted, also when two mints race", async () => {
    const vault = new FakeIssuer();
    const orchestrator = new Orchestrator(vault);
    const results = await Promise.allSettled([
      orchestrator.mint("twin", { scope: SCOPE }),
      orchestrator.mint("twin", { scope: SCOPE }),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected"]);
    await expect(orchestrator.mint("twin", { scope: SCOPE })).rejects.toThrow(
      AgentVaultConflictError,
    );
    await expect(orchestrator.mint("twin", { scope: SCOPE })).rejects.toMatchObject({
      code: "NAME_TAKEN",
    });
    expect(vault.requests).toHaveLength(1);
  });

  it("frees a name once its token is revoked", async () => {
    const vault = new FakeIssuer();
    const orchestrator = new Orchestrator(vault);
    await orchestrator.mint("worker", { scope: SCOPE });
    await orchestrator.revoke("worker");
    expect(vault.revoked).toEqual(["tok_1"]);
    expect(orchestrator.minted()).toEqual([]);
    const again = await orchestrator.mint("worker", { scope: SCOPE });
    expect(again.tokenId).toBe("tok_2");
  });

  it("requires a scope and a name", async () => {
    const orchestrator = new Orchestrator(new FakeIssuer());
    await expect(orchestrator.mint("no-scope")).rejects.toThrow(AgentVaultValidationError);
    await expect(orchestrator.mint("", { scope: SCOPE })).rejects.toThrow(
      AgentVaultValidationError,
    );
  });

  it("frees the name when minting fails", async () => {
    const vault = new FakeIssuer();
    vault.requestToken = async () => {
      throw new AgentVaultPermissionError("outside ceiling", { code: "SCOPE_DENIED", status: 403 });
    };
    const orchestrator = new Orchestrator(vault);
    await expect(orchestrator.mint("x", { scope: SCOPE })).rejects.toThrow(
      AgentVaultPermissionError,
    );
    expect(orchestrator.minted()).toEqual([]);
  });

  it("returns a pending token at once when not asked to wait", async () => {
    const vault = new FakeIssuer();
    vault.status = "pending";
    const orchestrator = new Orchestrator(vault);
    const minted = await orchestrator.mint("slow", { scope: SCOPE });
    expect(minted.approvalStatus).toBe("pending");
    expect(minted.approvalRequestId).toBe("apr_1");
    expect(vault.waited).toEqual([]);
    expect(orchestrator.get("slow")).toBe(minted);
  });

  it("waits for approval of a pending token and returns it approved", async () => {
    const vault = new FakeIssuer();
    vault.status = "pending";
    const orchestrator = new Orchestrator(vault);
    const minted = await orchestrator.mint("careful", {
      scope: SCOPE,
      waitForApproval: { timeout: 60_000 },
    });
    expect(vault.waited).toEqual([{ id: "apr_1", options: { timeout: 60_000 } }]);
    expect(minted.approvalStatus).toBe("approved");
    expect(minted.token.approvalStatus).toBe("approved");
    expect(minted.token).toBeInstanceOf(ScopedToken);
    expect(minted.value).toBe("ast_tok_fake1canary");
    expect(minted.token.scopes).toEqual([SCOPE]);
  });

  it.each(["denied", "cancelled", "expired"] as const)(
    "throws a permission error and revokes the token when the approval is %s",
    async (status) => {
      const vault = new FakeIssuer();
      vault.status = "pending";
      vault.approvalOutcome = status;
      const orchestrator = new Orchestrator(vault);
      const minting = orchestrator.mint("refused", { scope: SCOPE, waitForApproval: true });
      await expect(minting).rejects.toThrow(AgentVaultPermissionError);
      await expect(minting).rejects.toMatchObject({ code: `APPROVAL_${status.toUpperCase()}` });
      expect(vault.revoked).toEqual(["tok_1"]);
      expect(orchestrator.minted()).toEqual([]);
    },
  );

  it("revokes the pending token and rethrows when the wait times out", async () => {
    const vault = new FakeIssuer();
    vault.status = "pending";
    vault.approvalOutcome = new AgentVaultApprovalTimeoutError("still pending", {
      code: "APPROVAL_TIMEOUT",
      approvalRequestId: "apr_1",
    });
    const orchestrator = new Orchestrator(vault);
    await expect(
      orchestrator.mint("impatient", { scope: SCOPE, waitForApproval: { timeout: 5 } }),
    ).rejects.toThrow(AgentVaultApprovalTimeoutError);
    expect(vault.revoked).toEqual(["tok_1"]);
  });

  it("rejects a token the vault denied outright", async () => {
    const vault = new FakeIssuer();
    vault.status = "denied";
    const orchestrator = new Orchestrator(vault);
    await expect(orchestrator.mint("nope", { scope: SCOPE })).rejects.toMatchObject({
      name: "AgentVaultPermissionError",
      code: "APPROVAL_DENIED",
    });
  });

  it("revokeAll revokes every live token and tolerates ones the server no longer knows", async () => {
    const vault = new FakeIssuer();
    const orchestrator = new Orchestrator(vault);
    await orchestrator.mint("a", { scope: SCOPE });
    await orchestrator.mint("b", { scope: SCOPE });
    await orchestrator.mint("c", { scope: SCOPE });
    vault.revokeFailures.set(
      "tok_2",
      new AgentVaultNotFoundError("no such token", { code: "NOT_FOUND", status: 404 }),
    );
    vault.revokeFailures.set(
      "tok_3",
      new AgentVaultAuthError("expired", { code: "UNAUTHORIZED", status: 401 }),
    );
    await orchestrator.revokeAll();
    expect(vault.revoked).toEqual(["tok_1"]);
    expect(orchestrator.minted()).toEqual([]);
  });

  it("revokeAll tries every token and reports the failures together", async () => {
    const vault = new FakeIssuer();
    const orchestrator = new Orchestrator(vault);
    await orchestrator.mint("a", { scope: SCOPE });
    await orchestrator.mint("b", { scope: SCOPE });
    await orchestrator.mint("c", { scope: SCOPE });
    const outage = new AgentVaultServerError("down", { code: "INTERNAL", status: 503 });
    vault.revokeFailures.set("tok_1", outage);
    vault.revokeFailures.set("tok_3", outage);
    const failure = await orchestrator.revokeAll().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).errors).toEqual([outage, outage]);
    expect(vault.revoked).toEqual(["tok_2"]);
    expect(orchestrator.minted().map((minted) => minted.name)).toEqual(["a", "c"]);

    vault.revokeFailures.clear();
    await orchestrator.revokeAll();
    expect(vault.revoked).toEqual(["tok_2", "tok_1", "tok_3"]);
  });

  it("revokeAll also revokes a token whose mint was still in flight", async () => {
    const vault = new FakeIssuer();
    const orchestrator = new Orchestrator(vault);
    const minting = orchestrator.mint("late", { scope: SCOPE });
    await orchestrator.revokeAll();
    await minting;
    expect(vault.revoked).toEqual(["tok_1"]);
    expect(orchestrator.minted()).toEqual([]);
  });

  it("revoke of an unknown name is a clear error", async () => {
    const orchestrator = new Orchestrator(new FakeIssuer());
    await expect(orchestrator.revoke("ghost")).rejects.toMatchObject({
      name: "AgentVaultNotFoundError",
      code: "UNKNOWN_SUBAGENT",
    });
  });

  it("revokes everything it minted when an `await using` block ends", async () => {
    const vault = new FakeIssuer();
    {
      await using orchestrator = new Orchestrator(vault);
      await orchestrator.mint("a", { scope: SCOPE });
      await orchestrator.mint("b", { scope: SCOPE });
      expect(vault.revoked).toEqual([]);
    }
    expect(vault.revoked.sort()).toEqual(["tok_1", "tok_2"]);
  });

  it("keeps the token out of String, JSON and util.inspect of the minted token and its env", async () => {
    const orchestrator = new Orchestrator(new FakeIssuer());
    const minted = await orchestrator.mint("quiet", { scope: SCOPE });
    const renderings = [
      String(minted),
      `${minted}`,
      JSON.stringify(minted),
      JSON.stringify(minted.env),
      String(minted.env),
      inspect(minted, { depth: 10 }),
      inspect(minted.env),
      inspect({ minted }, { depth: 10 }),
      inspect(orchestrator, { depth: 10, showHidden: true }),
      JSON.stringify(orchestrator.minted()),
    ];
    for (const rendering of renderings) {
      expect(rendering).not.toContain("ast_tok_fake1canary");
    }
    expect(JSON.parse(JSON.stringify(minted.env))).toEqual({
      ASS_TOKEN: "[REDACTED]",
      ASS_BASE_URL: BASE_URL,
    });
    expect(inspect(minted)).toContain("[REDACTED]");
  });
});
