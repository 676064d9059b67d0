import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentVault } from "@agentsecretstore/client";
import { type RunningServer, startServer } from "@agentsecretstore/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAI } from "../src/create-openai.js";
import { startOpenAIStub } from "./openai-stub.js";

// createOpenAI({ vault, broker, token }) against a real vault and a local OpenAI-compatible
// stub: the stub gets the provider's key, the client only ever holds the vault token.

const KEY = `sk-${"b".repeat(32)}`;
let stub: Awaited<ReturnType<typeof startOpenAIStub>>;
let server: RunningServer;
let dataDir: string;
let agent: AgentVault;

beforeAll(async () => {
  stub = await startOpenAIStub(KEY);
  dataDir = await mkdtemp(join(tmpdir(), "ass-openai-broker-"));
  server = await startServer({
    port: 0,
    dataDir,
    logger: false,
    env: {},
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
  });
  const first = server.firstStart;
  if (first === null) throw new Error("expected a first start");
  const admin = new AgentVault({ agentKey: first.adminKey, baseUrl: server.baseUrl, env: {} });
  await admin.setSecret("production/openai/api-key", KEY);
  await admin.close();
  agent = new AgentVault({ agentKey: first.agentKey, baseUrl: server.baseUrl, env: {} });
});

afterAll(async () => {
  await agent?.close();
  await server?.close();
  await stub?.close();
  await rm(dataDir, { recursive: true, force: true });
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
