import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { createCredentialProvider } from "@agentsecretstore/client";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { HumanMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { createAgent } from "langchain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type OpenAIStub, startOpenAIStub } from "../../agent-tools/test/support/openai-stub.js";
import { lazyChatModel } from "../src/lazy-chat-model.js";

const KEY_PATH = "production/openai/api-key";
const KEY_V1 = "canary-openai-key-v1-2c3d4e";
const KEY_V2 = "canary-openai-key-v2-5f6a7b";

let vault: RunningVault;
let stub: OpenAIStub;

beforeEach(async () => {
  vault = await startVault();
  stub = await startOpenAIStub([KEY_V1]);
  await vault.admin.setSecret(KEY_PATH, KEY_V1);
});

afterEach(async () => {
  await stub?.close();
  await vault?.close();
});

const openAI = (apiKey: string) =>
  new ChatOpenAI({
    apiKey,
    model: "gpt-4o-mini",
    maxRetries: 0,
    configuration: { baseURL: stub.baseURL },
  });

const sentKeys = () =>
  stub.requests.map((request) => request.authorization?.replace("Bearer ", ""));

describe("lazyChatModel with a key from the vault", () => {
  it("recovers from a rotation by refreshing the key after the model API's 401", async () => {
    const model = lazyChatModel(openAI, createCredentialProvider(vault.agent, KEY_PATH), {
      registry: new SecretRegistry(),
    });
    await model.invoke("before the rotation");

    await vault.admin.rotateSecret(KEY_PATH, KEY_V2);
    stub.acceptedKeys = new Set([KEY_V2]);
    const reply = await model.invoke("after the rotation");

    expect(reply.content).toBe("reply from the stub");
    // The cached key is tried first, refused, refreshed from the vault and retried once.
    expect(sentKeys()).toEqual([KEY_V1, KEY_V1, KEY_V2]);
    expect(model.buildCount).toBe(2);
  });

  it("rebuilds the model without a failed request when the provider re-reads the key", async () => {
    const model = lazyChatModel(
      openAI,
      createCredentialProvider(vault.agent, KEY_PATH, { refreshAfter: 0 }),
      { registry: new SecretRegistry() },
    );
    await model.invoke("before the rotation");
    await vault.admin.rotateSecret(KEY_PATH, KEY_V2, { gracePeriodSeconds: 60 });
    stub.acceptedKeys = new Set([KEY_V1, KEY_V2]);
    await model.invoke("after the rotation");
    expect(sentKeys()).toEqual([KEY_V1, KEY_V2]);
    expect(model.buildCount).toBe(2);
  });

  it("drives a createAgent run whose key rotates between turns", async () => {
    const registry = new SecretRegistry();
    const model = lazyChatModel(openAI, createCredentialProvider(vault.agent, KEY_PATH), {
      registry,
    });
    const agent = createAgent({ model, tools: [] });
    const first = await agent.invoke({ messages: [new HumanMessage("hello")] });
    expect(first.messages.at(-1)?.content).toBe("reply from the stub");

    await vault.admin.rotateSecret(KEY_PATH, KEY_V2);
    stub.acceptedKeys = new Set([KEY_V2]);
    const second = await agent.invoke({ messages: [new HumanMessage("hello again")] });
    expect(second.messages.at(-1)?.content).toBe("reply from the stub");
    expect(sentKeys().at(-1)).toBe(KEY_V2);
    expect(registry.has(KEY_V1) && registry.has(KEY_V2)).toBe(true);
  });
});
