import { describe, expect, it } from "vitest";
import {
  AgentVaultConflictError,
  AgentVaultError,
  AgentVaultRateLimitError,
  AgentVaultTimeoutError,
  AgentVaultValidationError,
} from "../errors.js";
import { ScopedToken } from "../models/scoped-token.js";
import { Secret } from "../models/secret.js";
import { decodeError, decodeResult, encodeError, encodeResult } from "./sync-codec.js";

/** What postMessage does to a message. */
const acrossThreads = <T>(value: T): T => structuredClone(value);

describe("sync codec", () => {
  it("rebuilds a Secret with its value, Dates and redaction", () => {
    const secret = new Secret({
      path: "a/b",
      namespace: "a",
      key: "b",
      version: 2,
      tier: "sensitive",
      secretType: "api_key",
      description: null,
      tags: { team: "ml" },
      createdAt: new Date("2026-01-15T10:30:00.000Z"),
      updatedAt: null,
      accessedAt: null,
      expiresAt: null,
      allowedDestinations: [{ origin: "https://api.example.com", pathPrefixes: ["/v1/"] }],
      approval: "per_call",
      value: "canary-value-1f3a-codec",
    });
    const decoded = decodeResult(acrossThreads(encodeResult(secret)));
    expect((decoded as Secret).allowedDestinations).toEqual(secret.allowedDestinations);
    expect((decoded as Secret).approval).toBe("per_call");
    expect(decoded).toBeInstanceOf(Secret);
    expect((decoded as Secret).value).toBe("canary-value-1f3a-codec");
    expect((decoded as Secret).createdAt).toEqual(new Date("2026-01-15T10:30:00.000Z"));
    expect(JSON.stringify(decoded)).not.toContain("canary-value-1f3a-codec");
  });

  it("rebuilds a ScopedToken with its value", () => {
    const token = new ScopedToken({
      value: "ast_tok_fakecanary",
      tokenId: "tok_1",
      scope: "secrets:read:a/*",
      scopes: ["secrets:read:a/*"],
      ttlSeconds: 60,
      expiresAt: new Date("2026-01-15T10:31:00.000Z"),
      description: null,
      allowedIps: null,
      maxUses: 1,
      usesRemaining: 1,
      approvalStatus: "approved",
      approvalRequestId: null,
      requiresApproval: false,
    });
    const decoded = decodeResult(acrossThreads(encodeResult(token))) as ScopedToken;
    expect(decoded).toBeInstanceOf(ScopedToken);
    expect(decoded.value).toBe("ast_tok_fakecanary");
    expect(decoded.expiresAt).toBeInstanceOf(Date);
  });

  it.each([
    new AgentVaultRateLimitError("slow down", {
      code: "RATE_LIMITED",
      status: 429,
      requestId: "req_1",
      retryAfter: 3,
    }),
    new AgentVaultConflictError("changed", {
      code: "PRECONDITION_FAILED",
      status: 412,
      currentVersion: 4,
    }),
    new AgentVaultValidationError("bad", {
      code: "VALIDATION_ERROR",
      status: 400,
      issues: [{ field: "tier", message: "unknown" }],
    }),
    new AgentVaultTimeoutError("slow", { code: "TIMEOUT" }),
  ])("rebuilds $name as the same class with the same fields", (error) => {
    const decoded = decodeError(acrossThreads(encodeError(error)));
    expect(decoded.constructor).toBe(error.constructor);
    expect(decoded).toBeInstanceOf(AgentVaultError);
    expect(decoded.message).toBe(error.message);
    expect({ ...decoded }).toEqual({ ...error });
  });

  it("keeps the cause and standard error types", () => {
    const error = new AgentVaultError("failed", {
      code: "NETWORK",
      cause: new TypeError("fetch failed"),
    });
    const decoded = decodeError(acrossThreads(encodeError(error)));
    expect(decoded.cause).toBeInstanceOf(TypeError);
    expect((decoded.cause as Error).message).toBe("fetch failed");
    expect(decodeError(encodeError("plain string"))).toMatchObject({
      name: "Error",
      message: "plain string",
    });
  });
});
