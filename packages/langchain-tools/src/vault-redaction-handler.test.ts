import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { tool } from "@langchain/core/tools";
import { createAgent } from "langchain";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SecretRegistry } from "./secret-registry.js";
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
