import { describe, expect, it } from "vitest";
import { AgentVaultError, AgentVaultNotFoundError } from "../errors.js";
import {
  toApprovalRequest,
  toImportResult,
  toRotationResult,
  toScopedToken,
  toSecret,
  toSecretMetadata,
  toSecretPage,
  toTokenRecord,
} from "./wire-mappers.js";

const seedSecret = {
  path: "production/openai/api-key",
  namespace: "production/openai",
  key: "api-key",
  value: "canary-value-1f3a",
  version: 2,
  tier: "sensitive",
  secret_type: "api_key",
  description: "OpenAI key",
  tags: { team: "ml" },
  created_at: "2026-01-15T10:30:00.000Z",
  updated_at: "2026-01-16T10:30:00.000Z",
  accessed_at: null,
  expires_at: "2026-02-01T00:00:00.000Z",
};

describe("toSecret", () => {
  it("maps the seed generation's fields to camelCase with Dates", () => {
    const secret = toSecret(seedSecret, "production/openai/api-key");
    expect(secret.value).toBe("canary-value-1f3a");
    expect(secret).toMatchObject({
      path: "production/openai/api-key",
      namespace: "production/openai",
      key: "api-key",
      version: 2,
      tier: "sensitive",
      secretType: "api_key",
      description: "OpenAI key",
      tags: { team: "ml" },
      accessedAt: null,
    });
    expect(secret.createdAt).toEqual(new Date("2026-01-15T10:30:00.000Z"));
    expect(secret.expiresAt).toEqual(new Date("2026-02-01T00:00:00.000Z"));
  });

  it("understands the newer generation's field names", () => {
    const secret = toSecret(
      {
        path: "production/db/password",
        value: "canary-value-2b7c",
        version: 1,
        access_tier: "critical",
        type: "db_credential",
        metadata: { owner: "data" },
      },
      "production/db/password",
    );
    expect(secret.tier).toBe("critical");
    expect(secret.secretType).toBe("db_credential");
    expect(secret.tags).toEqual({ owner: "data" });
    expect(secret.namespace).toBe("production/db");
    expect(secret.key).toBe("password");
    expect(secret.description).toBeNull();
    expect(secret.expiresAt).toBeNull();
  });

  it("turns a namespace listing answered for a path into a not-found error", () => {
    const attempt = () =>
      toSecret({ namespace: "production", items: [], next_cursor: null }, "production");
    expect(attempt).toThrow(AgentVaultNotFoundError);
    expect(attempt).toThrow(/listSecrets\("production"\)/);
  });

  it("rejects a body that is not a secret with INVALID_RESPONSE", () => {
    expect(() => toSecret("<html>", "a/b")).toThrow(AgentVaultError);
    expect(() => toSecret({ path: "a/b" }, "a/b")).toThrow(/no "value" field/);
  });
});

describe("toSecretMetadata", () => {
  it("maps a write response without a value", () => {
    const metadata = toSecretMetadata({ ...seedSecret, value: undefined, id: "sec_1" });
    expect(metadata).not.toHaveProperty("value");
    expect(metadata.version).toBe(2);
  });

  it("maps allowed_destinations (an origin without prefixes allows every path) and approval", () => {
    const bound = toSecretMetadata({
      ...seedSecret,
      allowed_destinations: [
        { origin: "https://api.openai.com", path_prefixes: ["/v1/"] },
        { origin: "https://api.example.com" },
      ],
      approval: "per_call",
    });
    expect(bound.allowedDestinations).toEqual([
      { origin: "https://api.openai.com", pathPrefixes: ["/v1/"] },
      { origin: "https://api.example.com", pathPrefixes: null },
    ]);
    expect(bound.approval).toBe("per_call");
    const free = toSecretMetadata({ ...seedSecret, allowed_destinations: null, approval: "none" });
    expect(free.allowedDestinations).toBeNull();
    expect(free.approval).toBeNull();
  });

  it("maps getMetadata's version history", () => {
    const metadata = toSecretMetadata({
      path: "a/b",
      version: 2,
      versions: [
        {
          version: 1,
          created_at: "2026-01-01T00:00:00.000Z",
          retired_at: "2026-01-02T00:00:00.000Z",
        },
        { version: 2, created_at: "2026-01-02T00:00:00.000Z", retired_at: null },
      ],
    });
    expect(metadata.versions).toEqual([
      {
        version: 1,
        createdAt: new Date("2026-01-01T00:00:00.000Z"),
        retiredAt: new Date("2026-01-02T00:00:00.000Z"),
      },
      { version: 2, createdAt: new Date("2026-01-02T00:00:00.000Z"), retiredAt: null },
    ]);
  });

  it("turns unparsable timestamps into null rather than Invalid Date", () => {
    expect(toSecretMetadata({ path: "a/b", created_at: "yesterday" }).createdAt).toBeNull();
  });
});

describe("toSecretPage", () => {
  it("maps items and the next cursor", () => {
    const page = toSecretPage({
      namespace: "production",
      items: [{ path: "production/a", version: 1 }],
      next_cursor: "c2",
    });
    expect(page.namespace).toBe("production");
    expect(page.items.map((item) => item.path)).toEqual(["production/a"]);
    expect(page.nextCursor).toBe("c2");
  });

  it("ends at a null cursor", () => {
    expect(toSecretPage({ namespace: "p", items: [], next_cursor: null }).nextCursor).toBeNull();
  });
});

describe("toScopedToken", () => {
  const seedToken = {
    token: "ast_tok_fake0001",
    value: "ast_tok_fake0001",
    token_id: "tok_1",
    scope: "secrets:read:production/openai/*",
    scopes: ["secrets:read:production/openai/*"],
    ttl_seconds: 3600,
    expires_at: "2026-01-15T11:30:00.000Z",
    description: "summariser",
    allowed_ips: ["10.0.1.50"],
    max_uses: 1,
    uses_remaining: 1,
    approval_status: "approved",
    approval_request_id: null,
    requires_approval: false,
    approval_id: null,
  };

  it("maps an approved token", () => {
    const token = toScopedToken(seedToken);
    expect(token.value).toBe("ast_tok_fake0001");
    expect(token).toMatchObject({
      tokenId: "tok_1",
      scope: "secrets:read:production/openai/*",
      scopes: ["secrets:read:production/openai/*"],
      ttlSeconds: 3600,
      allowedIps: ["10.0.1.50"],
      maxUses: 1,
      usesRemaining: 1,
      approvalStatus: "approved",
      approvalRequestId: null,
      requiresApproval: false,
    });
    expect(token.expiresAt).toEqual(new Date("2026-01-15T11:30:00.000Z"));
  });

  it("understands value-only tokens, approval_id and ip_allowlist", () => {
    const token = toScopedToken({
      value: "ast_tok_fake0002",
      token_id: "tok_2",
      scopes: ["secrets:read:a/*", "secrets:read:b/*"],
      approval_status: "pending",
      approval_id: "apr_9",
      ip_allowlist: ["10.0.0.0/8"],
      max_uses: null,
    });
    expect(token.value).toBe("ast_tok_fake0002");
    expect(token.scope).toBe("secrets:read:a/*");
    expect(token.approvalRequestId).toBe("apr_9");
    expect(token.requiresApproval).toBe(true);
    expect(token.allowedIps).toEqual(["10.0.0.0/8"]);
    expect(token.maxUses).toBeNull();
  });
});

describe("toRotationResult", () => {
  it("maps the rotate response", () => {
    expect(
      toRotationResult(
        {
          path: "a/b",
          new_version: 3,
          old_version: 2,
          expires_at: "2026-01-15T10:35:00.000Z",
          grace_period_seconds: 300,
        },
        "a/b",
      ),
    ).toEqual({
      path: "a/b",
      newVersion: 3,
      oldVersion: 2,
      expiresAt: new Date("2026-01-15T10:35:00.000Z"),
      gracePeriodSeconds: 300,
    });
  });

  it("understands the legacy PATCH answer", () => {
    const result = toRotationResult(
      { version: 4, grace_expires_at: "2026-01-15T10:35:00.000Z" },
      "a/b",
    );
    expect(result).toMatchObject({ path: "a/b", newVersion: 4, oldVersion: null });
    expect(result.expiresAt).toEqual(new Date("2026-01-15T10:35:00.000Z"));
  });
});

describe("toApprovalRequest", () => {
  it("maps an approval request with its approvals", () => {
    const request = toApprovalRequest({
      id: "apr_1",
      status: "approved",
      tier: "critical",
      scopes: ["secrets:read:production/db/*"],
      requested_by: "agent_1",
      description: "nightly job",
      approvals: [{ by: "alice", at: "2026-01-15T10:31:00.000Z", comment: null }],
      required_approvals: 2,
      eligible_at: "2026-01-15T10:36:00.000Z",
      decided_at: null,
      path: "production/db/password",
      created_at: "2026-01-15T10:30:00.000Z",
      expires_at: "2026-01-16T10:30:00.000Z",
    });
    expect(request).toEqual({
      id: "apr_1",
      status: "approved",
      tier: "critical",
      scopes: ["secrets:read:production/db/*"],
      requestedBy: "agent_1",
      description: "nightly job",
      approvals: [{ by: "alice", at: new Date("2026-01-15T10:31:00.000Z"), comment: null }],
      requiredApprovals: 2,
      eligibleAt: new Date("2026-01-15T10:36:00.000Z"),
      decidedAt: null,
      path: "production/db/password",
      createdAt: new Date("2026-01-15T10:30:00.000Z"),
      expiresAt: new Date("2026-01-16T10:30:00.000Z"),
    });
  });
});

describe("toTokenRecord", () => {
  it("maps GET /tokens/self to a ScopedToken whose value is empty", () => {
    const token = toTokenRecord({
      token_id: "tok_3",
      scopes: ["secrets:read:a/*"],
      ttl_seconds: 60,
      expires_at: "2026-01-15T10:31:00.000Z",
      max_uses: 4,
      uses_remaining: 1,
      uses: 3,
      approval_status: "approved",
    });
    expect(token.value).toBe("");
    expect(token).toMatchObject({ tokenId: "tok_3", scope: "secrets:read:a/*", usesRemaining: 1 });
    expect(token.expiresAt).toEqual(new Date("2026-01-15T10:31:00.000Z"));
  });

  it("still requires the token id", () => {
    expect(() => toTokenRecord({ scopes: [] })).toThrow(AgentVaultError);
  });
});

describe("toImportResult", () => {
  it("maps the import response", () => {
    expect(
      toImportResult({ namespace: "a", imported: ["K1", "K2"], imported_count: 2 }, "a"),
    ).toEqual({ namespace: "a", imported: ["K1", "K2"], importedCount: 2 });
  });

  it("keeps an empty top-level namespace rather than replacing it", () => {
    expect(toImportResult({ namespace: "", imported: [] }, "x").namespace).toBe("");
  });
});
