import { AgentVaultAuthError, AgentVaultRateLimitError } from "@agentsecretstore/client";
import { FakeVault } from "@agentsecretstore/testkit";
import { describe, expect, it } from "vitest";
import { vaultTools } from "../test/support/tool-helpers.js";
import { AgentVaultToolkit } from "./agent-vault-toolkit.js";

const CANARY = "canary-value-2b3c4d5e";

function vaultWithSecret() {
  const vault = new FakeVault();
  vault.put("production/service/api-key", CANARY);
  return vault;
}

describe("createVaultTools", () => {
  it("makes every tool, and call_api_with_secret only when destinations are allowed", () => {
    expect(vaultTools(new FakeVault()).tools.map((tool) => tool.name)).toEqual([
      "list_secrets",
      "get_secret_metadata",
      "request_secret_access",
      "check_approval_status",
      "set_secret",
      "rotate_secret",
      "get_secret",
    ]);
    const withApi = vaultTools(new FakeVault(), {
      allowedDestinations: [{ origin: "https://api.example.com" }],
    });
    expect(withApi.tools.map((tool) => tool.name)).toContain("call_api_with_secret");
  });

  it("makes only the tools named in include", () => {
    const { tools } = vaultTools(new FakeVault(), {
      include: ["list_secrets", "get_secret_metadata"],
    });
    expect(tools.map((tool) => tool.name)).toEqual(["list_secrets", "get_secret_metadata"]);
  });

  it("rejects a destination that is not a bare origin", () => {
    expect(() =>
      vaultTools(new FakeVault(), {
        allowedDestinations: [{ origin: "https://api.example.com/v1" }],
      }),
    ).toThrow(/origin must be scheme/);
  });

  it("lists metadata without values", async () => {
    const { call } = vaultTools(vaultWithSecret());
    const result = await call("list_secrets", { namespace: "production" });
    expect(result.status).toBe("ok");
    expect(result.secrets).toEqual([
      expect.objectContaining({ path: "production/service/api-key", version: 1 }),
    ]);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it("returns a secret's metadata and versions without its value", async () => {
    const { call } = vaultTools(vaultWithSecret());
    const result = await call("get_secret_metadata", { path: "production/service/api-key" });
    expect(result).toMatchObject({ status: "ok", tier: "standard", versions: [{ version: 1 }] });
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it("turns a missing secret into a not_found result", async () => {
    const { call } = vaultTools(new FakeVault());
    const result = await call("get_secret_metadata", { path: "production/missing" });
    expect(result).toMatchObject({ status: "not_found", path: "production/missing" });
    expect(String(result.message)).toContain("list_secrets");
  });

  it("turns a scope refusal into a denied result that names the scope to ask for", async () => {
    const vault = vaultWithSecret();
    vault.agentScopes = ["secrets:read:staging/*"];
    const { call } = vaultTools(vault);
    const result = await call("get_secret_metadata", { path: "production/service/api-key" });
    expect(result).toMatchObject({
      status: "denied",
      reason: "SCOPE_DENIED",
      requiredScope: "secrets:read:production/service/api-key",
    });
    expect(String(result.message)).toContain("request_secret_access");
  });

  it("turns rate limiting into a rate_limited result with the delay", async () => {
    const vault = vaultWithSecret();
    vault.failNext.set(
      "getMetadata",
      new AgentVaultRateLimitError("Too many requests.", {
        code: "RATE_LIMITED",
        status: 429,
        retryAfter: 7,
      }),
    );
    const { call } = vaultTools(vault);
    const result = await call("get_secret_metadata", { path: "production/service/api-key" });
    expect(result).toMatchObject({ status: "rate_limited", retryAfterSeconds: 7 });
  });

  it("throws authentication failures instead of returning them", async () => {
    const vault = vaultWithSecret();
    vault.failNext.set(
      "listSecrets",
      new AgentVaultAuthError("The credential is not valid.", {
        code: "UNAUTHORIZED",
        status: 401,
      }),
    );
    const { get } = vaultTools(vault);
    await expect(get("list_secrets").invoke({ namespace: "production" })).rejects.toBeInstanceOf(
      AgentVaultAuthError,
    );
  });

  it("declines get_secret without asking the vault unless values may be revealed", async () => {
    const vault = vaultWithSecret();
    const { call } = vaultTools(vault);
    const result = await call("get_secret", { path: "production/service/api-key" });
    expect(result.status).toBe("declined");
    expect(String(result.message)).toContain("call_api_with_secret");
    expect(vault.calls).toHaveLength(0);
  });

  it("reveals a value when the developer allowed it, readable to the model but not to traces", async () => {
    const { call, registry } = vaultTools(vaultWithSecret(), { revealValues: true });
    const result = await call("get_secret", { path: "production/service/api-key" });
    expect(result).toMatchObject({ status: "ok", value: CANARY, version: 1 });
    expect(registry.mask(CANARY, { forModel: true })).toBe(CANARY);
    expect(registry.mask(CANARY)).toBe("[REDACTED]");
  });

  it("stores a value without echoing it, and registers it for masking", async () => {
    const vault = new FakeVault();
    const { call, registry } = vaultTools(vault);
    const result = await call("set_secret", {
      path: "production/new/key",
      value: CANARY,
      tier: "sensitive",
    });
    expect(result).toMatchObject({
      status: "stored",
      path: "production/new/key",
      version: 1,
      tier: "sensitive",
    });
    expect(JSON.stringify(result)).not.toContain(CANARY);
    expect(vault.secrets.get("production/new/key")?.value).toBe(CANARY);
    expect(registry.has(CANARY)).toBe(true);
  });

  it("generates a random value nobody sees", async () => {
    const vault = new FakeVault();
    const { call, registry } = vaultTools(vault);
    const result = await call("set_secret", {
      path: "production/webhook/secret",
      generate: { length: 48, alphabet: "hex" },
    });
    expect(result).toMatchObject({ status: "stored", generated: true });
    const stored = vault.secrets.get("production/webhook/secret")?.value ?? "";
    expect(stored).toMatch(/^[0-9a-f]{48}$/);
    expect(JSON.stringify(result)).not.toContain(stored);
    expect(registry.has(stored)).toBe(true);
  });

  it("asks for exactly one of value and generate", async () => {
    const { call } = vaultTools(new FakeVault());
    const result = await call("set_secret", { path: "production/x" });
    expect(result.status).toBe("invalid_request");
  });

  it("rotates a secret to a generated value and reports versions, not values", async () => {
    const vault = vaultWithSecret();
    const { call } = vaultTools(vault);
    const result = await call("rotate_secret", {
      path: "production/service/api-key",
      generate: {},
      gracePeriodSeconds: 60,
    });
    expect(result).toMatchObject({ status: "rotated", newVersion: 2, oldVersion: 1 });
    const rotated = vault.secrets.get("production/service/api-key")?.value ?? "";
    expect(rotated).not.toBe(CANARY);
    expect(JSON.stringify(result)).not.toContain(rotated);
  });

  it("uses the run's context token as the credential", async () => {
    const vault = vaultWithSecret();
    const { token } = await vault
      .requestToken({ scope: "secrets:read:production/*" })
      .then((minted) => ({
        token: minted.value,
      }));
    vault.calls.length = 0;
    const { call } = vaultTools(vault);
    await call(
      "get_secret_metadata",
      { path: "production/service/api-key" },
      { context: { vaultToken: token } },
    );
    expect(vault.calls).toEqual([
      { method: "getMetadata", subject: "production/service/api-key", token },
    ]);
  });

  it("uses a client from the run's context instead of the bound one", async () => {
    const bound = new FakeVault();
    const fromContext = vaultWithSecret();
    const { call } = vaultTools(bound);
    const result = await call(
      "get_secret_metadata",
      { path: "production/service/api-key" },
      {
        context: { vault: fromContext },
      },
    );
    expect(result.status).toBe("ok");
    expect(bound.calls).toHaveLength(0);
  });
});

describe("AgentVaultToolkit", () => {
  it("hands out the tools and revokes every token the run obtained", async () => {
    const vault = vaultWithSecret();
    const toolkit = new AgentVaultToolkit(vault);
    const requestAccess = toolkit.getTools().find((tool) => tool.name === "request_secret_access");
    await requestAccess?.invoke({ path: "production/service/*", reason: "test" });
    expect(await toolkit.revokeAccess()).toBe(1);
    expect(vault.calls.at(-1)).toMatchObject({ method: "revokeToken", subject: "token-1" });
    expect(await toolkit.revokeAccess()).toBe(0);
  });
});
