import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { AIMessage, type BaseMessage, HumanMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { tool } from "@langchain/core/tools";
import { createAgent } from "langchain";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { vaultRedactionMiddleware } from "./vault-redaction-middleware.js";

const CANARY = "canary-value-5e6f7a8b";

function leakyTool(value: string) {
  return tool(async () => `the config file says token=${value}`, {
    name: "read_config",
    description: "Reads the config file.",
    schema: z.object({}),
  });
}

const text = (messages: BaseMessage[]) => JSON.stringify(messages);

describe("vaultRedactionMiddleware", () => {
  it("masks vault values in tool results before the model sees them", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const model = fakeModel()
      .respondWithTools([{ name: "read_config", args: {} }])
      .respond(new AIMessage("done"));
    const agent = createAgent({
      model,
      tools: [leakyTool(CANARY)],
      middleware: [vaultRedactionMiddleware({ registry })],
    });
    const result = await agent.invoke({ messages: [new HumanMessage("read the config")] });
    expect(model.calls).toHaveLength(2);
    expect(text(model.calls[1]?.messages ?? [])).toContain("token=[REDACTED]");
    expect(text(model.calls[1]?.messages ?? [])).not.toContain(CANARY);
    expect(text(result.messages)).not.toContain(CANARY);
  });

  it("masks vault values in every message and the system prompt before each model call", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const model = fakeModel().respond(new AIMessage("ok"));
    const agent = createAgent({
      model,
      tools: [],
      systemPrompt: `Never repeat ${CANARY}.`,
      middleware: [vaultRedactionMiddleware({ registry })],
    });
    await agent.invoke({ messages: [new HumanMessage(`my key is ${CANARY}`)] });
    const seen = text(model.calls[0]?.messages ?? []);
    expect(seen).toContain("my key is [REDACTED]");
    expect(seen).not.toContain(CANARY);
  });

  it("rewrites stored messages at the end of the run unless told not to", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const run = async (maskStoredMessages: boolean) => {
      const agent = createAgent({
        model: fakeModel().respond(new AIMessage("ok")),
        tools: [],
        middleware: [vaultRedactionMiddleware({ registry, maskStoredMessages })],
      });
      return agent.invoke({ messages: [new HumanMessage(`my key is ${CANARY}`)] });
    };
    expect(text((await run(true)).messages)).not.toContain(CANARY);
    expect(text((await run(false)).messages)).toContain(CANARY);
  });

  it("leaves values the developer revealed on purpose readable to the model", async () => {
    const registry = new SecretRegistry();
    registry.add(CANARY, { visibleToModel: true });
    const model = fakeModel()
      .respondWithTools([{ name: "read_config", args: {} }])
      .respond(new AIMessage("done"));
    const agent = createAgent({
      model,
      tools: [leakyTool(CANARY)],
      middleware: [vaultRedactionMiddleware({ registry })],
    });
    await agent.invoke({ messages: [new HumanMessage("read the config")] });
    expect(text(model.calls[1]?.messages ?? [])).toContain(CANARY);
  });

  it("always masks vault credentials, registered or not", async () => {
    const model = fakeModel()
      .respondWithTools([{ name: "read_config", args: {} }])
      .respond(new AIMessage("done"));
    const agent = createAgent({
      model,
      tools: [leakyTool("ast_tok_fakefakefakefake0000")],
      middleware: [vaultRedactionMiddleware({ registry: new SecretRegistry() })],
    });
    await agent.invoke({ messages: [new HumanMessage("read the config")] });
    expect(text(model.calls[1]?.messages ?? [])).not.toContain("fakefakefakefake0000");
  });
});
