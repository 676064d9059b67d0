import type { ApiKeyProvider } from "@agentsecretstore/agent-tools";
import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { createAgent } from "langchain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type OpenAIStub, startOpenAIStub } from "../../agent-tools/test/support/openai-stub.js";
import { lazyChatModel } from "./lazy-chat-model.js";

const KEY_V1 = "fake-model-key-v1-0a1b2c";
const KEY_V2 = "fake-model-key-v2-3d4e5f";

/** A provider double: `current` is what a call returns, `fresh` what refresh() returns. */
function keyProvider(initial: string) {
  const state = { current: initial, fresh: initial, calls: 0, refreshes: 0 };
  const provider = Object.assign(
    async () => {
      state.calls += 1;
      return state.current;
    },
    {
      refresh: async () => {
        state.refreshes += 1;
        state.current = state.fresh;
        return state.fresh;
      },
    },
  ) satisfies ApiKeyProvider;
  return { provider, state };
}

let stub: OpenAIStub;
beforeEach(async () => {
  stub = await startOpenAIStub([KEY_V1]);
});
afterEach(async () => {
  await stub.close();
});

const openAI = (apiKey: string) =>
  new ChatOpenAI({
    apiKey,
    model: "gpt-4o-mini",
    maxRetries: 0,
    configuration: { baseURL: stub.baseURL },
  });

describe("lazyChatModel", () => {
  it("reads no key and builds no model before the first call", async () => {
    const { provider, state } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    expect(state.calls).toBe(0);
    expect(model.buildCount).toBe(0);
    const reply = await model.invoke("hello");
    expect(reply.content).toBe("reply from the stub");
    expect(stub.requests.map((request) => request.authorization)).toEqual([`Bearer ${KEY_V1}`]);
    expect(model.buildCount).toBe(1);
  });

  it("reuses the model while the key stays the same", async () => {
    const { provider } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    await model.invoke("one");
    await model.invoke("two");
    expect(model.buildCount).toBe(1);
  });

  it("rebuilds the model with the new key after a rotation", async () => {
    const { provider, state } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    await model.invoke("before");
    stub.acceptedKeys = new Set([KEY_V2]);
    state.current = KEY_V2;
    await model.invoke("after");
    expect(model.buildCount).toBe(2);
    expect(stub.requests.map((request) => request.authorization)).toEqual([
      `Bearer ${KEY_V1}`,
      `Bearer ${KEY_V2}`,
    ]);
  });

  it("refreshes the key and retries once when the model API answers 401", async () => {
    const { provider, state } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    stub.acceptedKeys = new Set([KEY_V2]);
    state.fresh = KEY_V2;
    const reply = await model.invoke("hello");
    expect(reply.content).toBe("reply from the stub");
    expect(state.refreshes).toBe(1);
    expect(stub.requests.map((request) => request.authorization)).toEqual([
      `Bearer ${KEY_V1}`,
      `Bearer ${KEY_V2}`,
    ]);
  });

  it("throws the 401 without a second request when refreshing yields the same key", async () => {
    const { provider, state } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    stub.acceptedKeys = new Set();
    await expect(model.invoke("hello")).rejects.toMatchObject({ status: 401 });
    expect(state.refreshes).toBe(1);
    expect(stub.requests).toHaveLength(1);
  });

  it("retries only once: a second 401 is thrown", async () => {
    const { provider, state } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    stub.acceptedKeys = new Set();
    state.fresh = KEY_V2;
    await expect(model.invoke("hello")).rejects.toMatchObject({ status: 401 });
    expect(stub.requests).toHaveLength(2);
  });

  it("streams, retrying a 401 that came before the first chunk", async () => {
    const { provider, state } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    stub.acceptedKeys = new Set([KEY_V2]);
    state.fresh = KEY_V2;
    let text = "";
    for await (const chunk of await model.stream("hello")) text += String(chunk.content);
    expect(text).toBe("reply from the stub");
    expect(stub.requests.map((request) => request.authorization)).toEqual([
      `Bearer ${KEY_V1}`,
      `Bearer ${KEY_V2}`,
    ]);
  });

  it("runs a batch", async () => {
    const { provider } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    const replies = await model.batch(["one", "two"]);
    expect(replies.map((reply) => reply.content)).toEqual([
      "reply from the stub",
      "reply from the stub",
    ]);
  });

  it("binds tools on the real model and keeps following rotations", async () => {
    const { provider, state } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    const lookup = tool(async () => "sunny", {
      name: "lookup_weather",
      description: "Looks up the weather.",
      schema: z.object({ city: z.string() }),
    });
    stub.reply = () => ({ toolCalls: [{ name: "lookup_weather", arguments: { city: "Oslo" } }] });
    const withTools = model.bindTools([lookup]);
    const first = (await withTools.invoke("weather?")) as AIMessage;
    expect(first.tool_calls?.[0]).toMatchObject({ name: "lookup_weather", args: { city: "Oslo" } });
    const sentTools = stub.requests[0]?.body.tools as Array<{ function: { name: string } }>;
    expect(sentTools.map((sent) => sent.function.name)).toEqual(["lookup_weather"]);

    stub.acceptedKeys = new Set([KEY_V2]);
    state.current = KEY_V2;
    await withTools.invoke("again?");
    expect(stub.requests[1]?.authorization).toBe(`Bearer ${KEY_V2}`);
    expect(stub.requests[1]?.body.tools).toEqual(stub.requests[0]?.body.tools);
  });

  it("produces structured output through the real model", async () => {
    const { provider } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    stub.reply = () => ({ content: JSON.stringify({ answer: "yes" }) });
    const structured = model.withStructuredOutput(z.object({ answer: z.string() }));
    await expect(structured.invoke("question")).resolves.toEqual({ answer: "yes" });
  });

  it("registers every key it uses in the secret registry", async () => {
    const { provider, state } = keyProvider(KEY_V1);
    const registry = new SecretRegistry();
    const model = lazyChatModel(openAI, provider, { registry });
    stub.acceptedKeys = new Set([KEY_V2]);
    state.fresh = KEY_V2;
    await model.invoke("hello");
    expect(registry.has(KEY_V1)).toBe(true);
    expect(registry.has(KEY_V2)).toBe(true);
  });

  it("reports each call to callbacks once, and never serialises the key", async () => {
    const { provider } = keyProvider(KEY_V1);
    const model = lazyChatModel(openAI, provider, { registry: new SecretRegistry() });
    const starts: string[] = [];
    const recorder = BaseCallbackHandler.fromMethods({
      handleChatModelStart: (_llm, _messages, runId) => {
        starts.push(runId);
      },
    });
    await model.invoke("hello", { callbacks: [recorder] });
    expect(starts).toHaveLength(1);
    expect(JSON.stringify(model)).not.toContain(KEY_V1);
    expect(String(model)).not.toContain(KEY_V1);
  });

  it("serves as the model of createAgent", async () => {
    const inner = fakeModel()
      .respondWithTools([{ name: "lookup_weather", args: { city: "Oslo" } }])
      .respond(new AIMessage("It is sunny in Oslo."));
    const { provider } = keyProvider(KEY_V1);
    const seenKeys: string[] = [];
    const model = lazyChatModel(
      (apiKey) => {
        seenKeys.push(apiKey);
        return inner;
      },
      provider,
      { registry: new SecretRegistry() },
    );
    const lookup = tool(async ({ city }) => `sunny in ${city}`, {
      name: "lookup_weather",
      description: "Looks up the weather.",
      schema: z.object({ city: z.string() }),
    });
    const agent = createAgent({ model, tools: [lookup] });
    const result = await agent.invoke({ messages: [new HumanMessage("Weather in Oslo?")] });
    expect(result.messages.at(-1)?.content).toBe("It is sunny in Oslo.");
    expect(seenKeys).toEqual([KEY_V1]);
  });

  it("refuses a credential that is not a function, saying how to make one", () => {
    expect(() => lazyChatModel(openAI, "fake-model-key" as never)).toThrow(
      /needs a credential provider: createCredentialProvider\(vault, path, \{ token \}\) from @agentsecretstore\/client/,
    );
  });
});
