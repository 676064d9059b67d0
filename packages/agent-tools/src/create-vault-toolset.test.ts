import {
  AgentVaultAuthError,
  AgentVaultNotFoundError,
  AgentVaultRateLimitError,
} from "@agentsecretstore/client";
import { describe, expect, it } from "vitest";
import { createVaultToolset } from "./create-vault-toolset.js";
import { SecretRegistry } from "./secret-registry.js";
import type { VaultClient } from "./vault-client.js";

/** A client whose every method fails with `error` (only the tools' view of it matters here). */
function failingClient(error: Error): VaultClient {
  const fail = async () => {
    throw error;
  };
  return {
    getSecret: fail,
    setSecret: fail,
    listSecrets: fail,
    getMetadata: fail,
    requestToken: fail,
    rotateSecret: fail,
    waitForApproval: fail,
    revokeToken: fail,
  } as unknown as VaultClient;
}

const unusedClient = failingClient(new Error("the vault must not be called"));

describe("createVaultToolset", () => {
  it("makes every tool, and call_api_with_secret only with allowed destinations", () => {
    expect(createVaultToolset(unusedClient).tools.map((tool) => tool.name)).toEqual([
      "list_secrets",
      "get_secret_metadata",
      "request_secret_access",
      "check_approval_status",
      "set_secret",
      "rotate_secret",
      "get_secret",
    ]);
    const withApi = createVaultToolset(unusedClient, {
      allowedDestinations: [{ origin: "https://api.example.com" }],
    });
    expect(withApi.get("call_api_with_secret")?.description).toContain("https://api.example.com/");
  });

  it("describes every tool and every input field for the model", () => {
    const { tools } = createVaultToolset(unusedClient, {
      allowedDestinations: [{ origin: "https://api.example.com" }],
    });
    for (const tool of tools) {
      expect(tool.description.length, tool.name).toBeGreaterThan(40);
      expect(tool.outputSchema.shape.status, tool.name).toBeDefined();
      expect(tool.revealsValues, tool.name).toBe(false);
    }
    expect(
      tools.find((tool) => tool.name === "set_secret")?.inputSchema.shape.path.description,
    ).toMatch(/Where to store it/);
  });

  it("answers input that does not fit the schema with invalid_request, without the vault", async () => {
    const tool = createVaultToolset(unusedClient).get("list_secrets");
    const outcome = await tool?.execute({}, { namespace: 42 } as never);
    expect(outcome).toMatchObject({
      status: "invalid_request",
      issues: [expect.objectContaining({ field: "namespace" })],
    });
  });

  it("turns rate limiting and a missing secret into outcomes", async () => {
    const limited = createVaultToolset(
      failingClient(
        new AgentVaultRateLimitError("Too many requests.", { code: "RATE_LIMITED", retryAfter: 7 }),
      ),
    );
    await expect(
      limited.get("get_secret_metadata")?.execute({}, { path: "production/x" }),
    ).resolves.toMatchObject({ status: "rate_limited", retryAfterSeconds: 7 });
    const missing = createVaultToolset(
      failingClient(
        new AgentVaultNotFoundError("No secret.", {
          code: "SECRET_NOT_FOUND",
          path: "production/x",
        }),
      ),
    );
    await expect(
      missing.get("get_secret_metadata")?.execute({}, { path: "production/x" }),
    ).resolves.toMatchObject({ status: "not_found", path: "production/x" });
  });

  it("rejects with authentication failures instead of returning them", async () => {
    const toolset = createVaultToolset(
      failingClient(
        new AgentVaultAuthError("The credential is not valid.", { code: "UNAUTHORIZED" }),
      ),
    );
    await expect(
      toolset.get("list_secrets")?.execute({}, { namespace: "production" }),
    ).rejects.toBeInstanceOf(AgentVaultAuthError);
  });

  it("masks a value the model gave set_secret in everything it answers", async () => {
    const registry = new SecretRegistry();
    const value = "fixture-model-given-5c2e";
    const toolset = createVaultToolset(
      failingClient(new AgentVaultRateLimitError(`slow down ${value}`, { code: "RATE_LIMITED" })),
      { registry },
    );
    const outcome = await toolset.get("set_secret")?.execute({}, { path: "production/x", value });
    expect(registry.has(value)).toBe(true);
    expect(JSON.stringify(outcome)).not.toContain(value);
  });

  it("checks its numeric options when it is made", () => {
    expect(() => createVaultToolset(unusedClient, { listLimit: 0 })).toThrow(/listLimit/);
  });
});
