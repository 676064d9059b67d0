import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { AgentVault } from "@agentsecretstore/client";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { createVaultTools } from "../src/create-vault-tools.js";
import { vaultRedactionMiddleware } from "../src/vault-redaction-middleware.js";
import { toolResults } from "./support/agent-helpers.js";

const SERVICE_TOKEN = "canary-value-service-81c2d3";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;

beforeAll(async () => {
  vault = await startVault();
  echo = await startEchoServer();
  await vault.admin.setSecret("production/service/token", SERVICE_TOKEN, {
    description: "Token of the internal service",
  });
  await vault.admin.setSecret("production/payments/key", "canary-value-payments-44e5f6", {
    tier: "sensitive",
  });
});

afterAll(async () => {
  await echo?.close();
  await vault?.close();
});

describe("the vault tools in a createAgent run against a real vault", () => {
  it("calls every tool and gets answers the model can act on", async () => {
    const registry = new SecretRegistry();
    const tools = createVaultTools(vault.agent, {
      registry,
      allowedDestinations: [{ origin: echo.origin, secretPaths: ["production/service/*"] }],
    });
    const model = fakeModel()
      .respondWithTools([
        { name: "list_secrets", args: { namespace: "production" } },
        { name: "get_secret_metadata", args: { path: "production/service/token" } },
        { name: "get_secret", args: { path: "production/service/token" } },
      ])
      .respondWithTools([
        {
          name: "call_api_with_secret",
          args: { url: `${echo.origin}/v1/status`, secretPath: "production/service/token" },
        },
        {
          name: "set_secret",
          args: {
            path: "production/webhooks/signing",
            generate: { length: 40 },
            description: "Webhook signing secret",
          },
        },
      ])
      .respondWithTools([
        { name: "rotate_secret", args: { path: "production/webhooks/signing", generate: {} } },
        {
          name: "request_secret_access",
          args: { path: "production/service/*", reason: "call the service" },
        },
        {
          name: "request_secret_access",
          args: { path: "production/payments/*", reason: "refund an order" },
        },
        { name: "get_secret_metadata", args: { path: "production/nothing/here" } },
      ])
      .respond((messages) => {
        const pending = toolResults(messages).find(
          (result) => result.status === "pending_approval",
        );
        return new AIMessage({
          content: "",
          tool_calls: [
            {
              id: "check-1",
              name: "check_approval_status",
              args: { approvalRequestId: String(pending?.approvalRequestId) },
            },
          ],
        });
      })
      .respond(new AIMessage("All done."));
    const agent = createAgent({
      model,
      tools,
      middleware: [vaultRedactionMiddleware({ registry })],
    });

    const result = await agent.invoke({ messages: [new HumanMessage("Check the service.")] });
    const byTool = (name: string) =>
      toolResults(result.messages).filter((entry) => entry.name === name);

    expect(byTool("list_secrets")[0]).toMatchObject({ status: "ok" });
    expect(byTool("list_secrets")[0]?.secrets).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "production/service/token" })]),
    );
    expect(byTool("get_secret_metadata")[0]).toMatchObject({
      status: "ok",
      description: "Token of the internal service",
      versions: [expect.objectContaining({ version: 1 })],
    });
    expect(byTool("get_secret_metadata")[1]).toMatchObject({ status: "not_found" });
    expect(byTool("get_secret")[0]).toMatchObject({ status: "declined" });
    expect(byTool("call_api_with_secret")[0]).toMatchObject({
      status: "completed",
      httpStatus: 200,
    });
    expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SERVICE_TOKEN}`);
    expect(byTool("set_secret")[0]).toMatchObject({
      status: "stored",
      version: 1,
      generated: true,
    });
    expect(byTool("rotate_secret")[0]).toMatchObject({
      status: "rotated",
      newVersion: 2,
      oldVersion: 1,
    });
    expect(byTool("request_secret_access")[0]).toMatchObject({ status: "approved" });
    expect(byTool("request_secret_access")[1]).toMatchObject({
      status: "pending_approval",
      approvalRequestId: expect.stringMatching(/.+/),
    });
    expect(byTool("check_approval_status")[0]).toMatchObject({ status: "pending" });
    expect(result.messages.at(-1)?.content).toBe("All done.");

    const stored = await vault.admin.getSecret("production/webhooks/signing");
    expect(stored.version).toBe(2);
    expect(JSON.stringify(result.messages)).not.toContain(stored.value);
    expect(JSON.stringify(result.messages)).not.toContain(SERVICE_TOKEN);
    expect(JSON.stringify(result.messages)).not.toContain("ast_tok_");
  });

  it("takes the run's credential from the agent's context, not from the model", async () => {
    const token = await vault.agent.requestToken({
      scope: "secrets:read:production/service/*",
      ttlSeconds: 300,
    });
    // A client without any credential of its own: every call must use the context's token.
    const bare = new AgentVault({ baseUrl: vault.baseUrl, env: {}, retries: 0 });
    const tools = createVaultTools(bare, { registry: new SecretRegistry() });
    const model = fakeModel()
      .respondWithTools([
        { name: "get_secret_metadata", args: { path: "production/service/token" } },
      ])
      .respondWithTools([
        { name: "get_secret_metadata", args: { path: "production/payments/key" } },
      ])
      .respond(new AIMessage("ok"));
    const agent = createAgent({ model, tools });
    const result = await agent.invoke(
      { messages: [new HumanMessage("look")] },
      { context: { vaultToken: token.value } },
    );
    const results = toolResults(result.messages);
    expect(results[0]).toMatchObject({ status: "ok", path: "production/service/token" });
    expect(results[1]).toMatchObject({ status: "denied" });
    await bare.close();
  });

  it("throws when no credential is configured anywhere", async () => {
    const bare = new AgentVault({ baseUrl: vault.baseUrl, env: {}, retries: 0 });
    const [listSecrets] = createVaultTools(bare, { include: ["list_secrets"] });
    await expect(listSecrets?.invoke({ namespace: "production" })).rejects.toMatchObject({
      name: "AgentVaultConfigurationError",
    });
    await bare.close();
  });
});
