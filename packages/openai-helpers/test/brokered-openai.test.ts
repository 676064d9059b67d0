import type { AgentVault } from "@agentsecretstore/client";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAI } from "../src/create-openai.js";
import { startOpenAIStub } from "./openai-stub.js";

// createOpenAI({ vault, broker, token }) against a real vault and a local OpenAI-compatible
// stub: the stub gets the provider's key, the client only ever holds the vault token.

const KEY = `sk-${"b".repeat(32)}`;
let stub: Awaited<ReturnType<typeof startOpenAIStub>>;
let vault: RunningVault;
let server: RunningVault["server"];
let agent: AgentVault;

beforeAll(async () => {
  stub = await startOpenAIStub(KEY);
  vault = await startVault({
    prefix: "ass-openai-broker-",
    server: {
      broker: {
        routes: [
          {
            name: "openai",
            upstream: stub.origin,
            secretPath: "production/openai/api-key",
            header: "Authorization: Bearer {value}",
          },
        ],
      },
    },
  });
  server = vault.server;
  await vault.admin.setSecret("production/openai/api-key", KEY);
  agent = vault.agent;
});

afterAll(async () => {
  await vault?.close();
  await stub?.close();
});

describe("createOpenAI through the broker", () => {
  it("calls the provider with the key the vault injects, holding only a use-scoped token", async () => {
    const { value: token } = await agent.requestToken({
      scope: "secrets:use:production/openai/*",
      ttlSeconds: 600,
    });
    const openai = createOpenAI({ vault: agent, broker: "openai", token, maxRetries: 0 });
    const reply = await openai.chat.completions.create({
      model: "stub-model",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(reply.choices[0]?.message.content).toBe("hello from the stub");
    const seen = stub.requests.at(-1);
    expect(seen?.url).toBe("/v1/chat/completions");
    expect(seen?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(stub.requests)).not.toContain(token);
    expect(openai.apiKey).toBe(token);
    expect(openai.baseURL).toBe(`${server.baseUrl}/broker/openai/v1`);
  });

  it("is refused by the vault, not the provider, when the token cannot use the secret", async () => {
    const { value: token } = await agent.requestToken({
      scope: "secrets:use:production/other/*",
      ttlSeconds: 600,
    });
    const before = stub.requests.length;
    const openai = createOpenAI({ vault: agent, broker: "openai", token, maxRetries: 0 });
    await expect(
      openai.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toMatchObject({ status: 403 });
    expect(stub.requests.length).toBe(before);
  });
});
