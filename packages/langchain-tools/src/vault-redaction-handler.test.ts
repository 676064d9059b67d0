import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { ChatModelStreamEvent } from "@langchain/core/language_models/event";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { GenerationChunk } from "@langchain/core/outputs";
import { fakeModel } from "@langchain/core/testing";
import { tool } from "@langchain/core/tools";
import { createAgent } from "langchain";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type VaultLeak,
  VaultLeakError,
  VaultRedactionHandler,
} from "./vault-redaction-handler.js";
import { vaultRedactionMiddleware } from "./vault-redaction-middleware.js";

const CANARY = "canary-value-9c0d1e2f";

/** A receiving handler that records every event it gets, serialised. */
function recorder() {
  const events: string[] = [];
  const handler = BaseCallbackHandler.fromMethods({
    handleChatModelStart: (...args) => {
      events.push(`chatModelStart ${JSON.stringify(args[1])}`);
    },
    handleLLMEnd: (output) => {
      events.push(`llmEnd ${JSON.stringify(output)}`);
    },
    handleToolStart: (_tool, input) => {
      events.push(`toolStart ${input}`);
    },
    handleToolEnd: (output) => {
      events.push(`toolEnd ${JSON.stringify(output)}`);
    },
    handleChainEnd: (outputs) => {
      events.push(`chainEnd ${JSON.stringify(outputs)}`);
    },
  });
  return { handler, events };
}

const echoTool = tool(async ({ text }) => `echo: ${text}`, {
  name: "echo",
  description: "Echoes text.",
  schema: z.object({ text: z.string() }),
});

describe("VaultRedactionHandler", () => {
  it("stops a model call whose input carries a vault value", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const model = fakeModel().respond(new AIMessage("ok"));
    const agent = createAgent({ model, tools: [] });
    const handler = new VaultRedactionHandler({ registry });
    const run = agent.invoke(
      { messages: [new HumanMessage(`the key is ${CANARY}`)] },
      { callbacks: [handler] },
    );
    await expect(run).rejects.toBeInstanceOf(VaultLeakError);
    await expect(run).rejects.not.toThrow(CANARY);
    expect(model.callCount).toBe(0);
  });

  it("lets the call through once the middleware masked the input", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const agent = createAgent({
      model: fakeModel().respond(new AIMessage("ok")),
      tools: [],
      middleware: [vaultRedactionMiddleware({ registry })],
    });
    const result = await agent.invoke(
      { messages: [new HumanMessage(`the key is ${CANARY}`)] },
      { callbacks: [new VaultRedactionHandler({ registry })] },
    );
    expect(result.messages.at(-1)?.content).toBe("ok");
  });

  it("tells an onLeak function about a leak instead of throwing", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const leaks: VaultLeak[] = [];
    const agent = createAgent({ model: fakeModel().respond(new AIMessage("ok")), tools: [] });
    await agent.invoke(
      { messages: [new HumanMessage(`the key is ${CANARY}`)] },
      { callbacks: [new VaultRedactionHandler({ registry, onLeak: (leak) => leaks.push(leak) })] },
    );
    expect(leaks).toHaveLength(1);
    expect(JSON.stringify(leaks)).not.toContain(CANARY);
  });

  it("stops the call when the onLeak function throws", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const model = fakeModel().respond(new AIMessage("ok"));
    const agent = createAgent({ model, tools: [] });
    const onLeak = () => {
      throw new Error("blocked by policy");
    };
    await expect(
      agent.invoke(
        { messages: [new HumanMessage(`the key is ${CANARY}`)] },
        { callbacks: [new VaultRedactionHandler({ registry, onLeak })] },
      ),
    ).rejects.toThrow("blocked by policy");
    expect(model.callCount).toBe(0);
  });

  it("passes every event to its receivers with vault values masked", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const { handler: receiver, events } = recorder();
    const model = fakeModel()
      .respondWithTools([{ name: "echo", args: { text: CANARY } }])
      .respond(new AIMessage(`echoed ${CANARY}`));
    const agent = createAgent({ model, tools: [echoTool] });
    await agent.invoke(
      { messages: [new HumanMessage("echo something")] },
      {
        callbacks: [
          new VaultRedactionHandler({ registry, handlers: [receiver], onLeak: () => {} }),
        ],
      },
    );
    const kinds = new Set(events.map((event) => event.split(" ")[0]));
    expect(kinds).toEqual(
      new Set(["chatModelStart", "llmEnd", "toolStart", "toolEnd", "chainEnd"]),
    );
    expect(events.join("\n")).toContain("[REDACTED]");
    expect(events.join("\n")).not.toContain(CANARY);
  });

  it("copies itself with the same registry and receivers", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const copy = new VaultRedactionHandler({ registry }).copy();
    await expect(
      copy.handleChatModelStart(
        { lc: 1, type: "not_implemented", id: [] },
        [[new HumanMessage(CANARY)]],
        "run-1",
      ),
    ).rejects.toBeInstanceOf(VaultLeakError);
  });
});

/** A receiving handler that records streamed text per run, and the order of token/end events. */
function streamRecorder() {
  const text = new Map<string, string>();
  const events: string[] = [];
  const chunks: unknown[] = [];
  const append = (runId: string, piece: string) => text.set(runId, (text.get(runId) ?? "") + piece);
  const handler = BaseCallbackHandler.fromMethods({
    handleLLMNewToken: (token, _idx, runId, _parent, _tags, fields) => {
      append(runId, token);
      events.push(`token ${runId}`);
      chunks.push(fields?.chunk);
    },
    handleChatModelStreamEvent: (event, runId) => {
      if (event.event === "content-block-delta" && event.delta.type === "text-delta") {
        append(runId, event.delta.text);
      }
      events.push(`${event.event} ${runId}`);
    },
    handleLLMEnd: (_output, runId) => {
      events.push(`end ${runId}`);
    },
    handleLLMError: (_error, runId) => {
      events.push(`error ${runId}`);
    },
  });
  return { handler, text, events, chunks };
}

function streamingSetup() {
  const registry = new SecretRegistry();
  registry.add(CANARY);
  const receiver = streamRecorder();
  const handler = new VaultRedactionHandler({ registry, handlers: [receiver.handler] });
  const send = (runId: string, token: string) =>
    handler.handleLLMNewToken(token, { prompt: 0, completion: 0 }, runId);
  const end = (runId: string) => handler.handleLLMEnd({ generations: [] }, runId);
  return { registry, handler, receiver, send, end };
}

describe("VaultRedactionHandler with streamed tokens", () => {
  it("masks a value split across two tokens", async () => {
    const { registry, receiver, send, end } = streamingSetup();
    const tokens = ["the key is canary-va", "lue-9c0d1e2f, keep it safe"];
    for (const token of tokens) await send("run-1", token);
    await end("run-1");
    expect(receiver.text.get("run-1")).not.toContain(CANARY);
    expect(receiver.text.get("run-1")).toBe(registry.mask(tokens.join("")));
  });

  it("masks a value split across three tokens", async () => {
    const { registry, receiver, send, end } = streamingSetup();
    const tokens = ["key: cana", "ry-value-9c", "0d1e2f done"];
    for (const token of tokens) await send("run-1", token);
    await end("run-1");
    expect(receiver.text.get("run-1")).not.toContain(CANARY);
    expect(receiver.text.get("run-1")).toBe(registry.mask(tokens.join("")));
    expect(receiver.text.get("run-1")).toBe("key: [REDACTED] done");
  });

  it("streams unrelated text with at most the hold-back delay", async () => {
    const { registry, receiver, send } = streamingSetup();
    let streamed = "";
    for (const token of ["Hello ", "there, ", "how are", " you?"]) {
      await send("run-1", token);
      streamed += token;
      const passedOn = receiver.text.get("run-1") ?? "";
      expect(streamed.startsWith(passedOn)).toBe(true);
      expect(passedOn.length).toBeGreaterThanOrEqual(
        streamed.length - (registry.longestMaskedLength() - 1),
      );
    }
    expect(receiver.text.get("run-1")).toBe("Hello there, how are you?");
  });

  it("keeps a separate buffer for each of two interleaved runs", async () => {
    const { registry, receiver, send, end } = streamingSetup();
    await send("run-a", "key canary-va");
    await send("run-b", "plain words ");
    await send("run-a", "lue-9c0d1e2f end");
    await send("run-b", "lue-9c0d1e2f");
    await end("run-a");
    await end("run-b");
    expect(receiver.text.get("run-a")).toBe("key [REDACTED] end");
    expect(receiver.text.get("run-b")).toBe(registry.mask("plain words lue-9c0d1e2f"));
  });

  it("passes on the held-back text, masked, before the end of the run", async () => {
    const { receiver, send, end } = streamingSetup();
    await send("run-1", "token ast_tok_");
    await send("run-1", "fake0fake0");
    expect(receiver.text.get("run-1")).toBe("token ");
    await end("run-1");
    expect(receiver.text.get("run-1")).toBe("token ast_tok_[REDACTED]");
    expect(receiver.events.slice(-2)).toEqual(["token run-1", "end run-1"]);
  });

  it("passes on the held-back text, masked, before the error of the run", async () => {
    const { handler, receiver, send } = streamingSetup();
    await send("run-1", "partial canary-va");
    await handler.handleLLMError(new Error("model failed"), "run-1");
    expect(receiver.text.get("run-1")).toBe("partial canary-va");
    expect(receiver.events.slice(-2)).toEqual(["token run-1", "error run-1"]);
  });

  it("drops the chunk of a token whose text was held back", async () => {
    const { handler, receiver } = streamingSetup();
    const chunk = new GenerationChunk({ text: "canary-va" });
    await handler.handleLLMNewToken(
      "canary-va",
      { prompt: 0, completion: 0 },
      "run-1",
      undefined,
      undefined,
      { chunk },
    );
    expect(receiver.chunks).toEqual([undefined]);
    expect(receiver.text.get("run-1")).toBe("");
  });

  it("masks a value split across text deltas of chat model stream events", async () => {
    const { handler, receiver } = streamingSetup();
    const delta = (text: string): ChatModelStreamEvent => ({
      event: "content-block-delta",
      index: 0,
      delta: { type: "text-delta", text },
    });
    await handler.handleChatModelStreamEvent(delta("secret: canary-value-9c"), "run-1");
    await handler.handleChatModelStreamEvent(delta("0d1e2f and canary-val"), "run-1");
    await handler.handleChatModelStreamEvent(
      { event: "content-block-finish", index: 0, content: { type: "text", text: "" } },
      "run-1",
    );
    expect(receiver.text.get("run-1")).toBe("secret: [REDACTED] and canary-val");
    expect(receiver.events.slice(-2)).toEqual([
      "content-block-delta run-1",
      "content-block-finish run-1",
    ]);
  });
});
