import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { maskMessage } from "./mask-deep.js";

const CANARY = "canary-value-7b2d";
const mask = (text: string) => text.split(CANARY).join("[REDACTED]");

// The generic walk (depth, same reference, cycles) is tested in @agentsecretstore/agent-tools.
describe("maskMessage", () => {
  it("masks message content, tool call arguments and tool results in copies", () => {
    const ai = new AIMessage({
      content: `using ${CANARY}`,
      tool_calls: [{ id: "call-1", name: "set_secret", args: { value: CANARY } }],
    });
    const maskedAi = maskMessage(ai, mask);
    expect(maskedAi).not.toBe(ai);
    expect(maskedAi).toBeInstanceOf(AIMessage);
    expect(maskedAi.content).toBe("using [REDACTED]");
    expect(maskedAi.tool_calls?.[0]?.args).toEqual({ value: "[REDACTED]" });
    expect(JSON.stringify(maskedAi)).not.toContain(CANARY);
    expect(ai.content).toBe(`using ${CANARY}`);

    const result = new ToolMessage({
      content: [{ type: "text", text: CANARY }],
      tool_call_id: "call-1",
    });
    const maskedResult = maskMessage(result, mask);
    expect(maskedResult).toBeInstanceOf(ToolMessage);
    expect(maskedResult.tool_call_id).toBe("call-1");
    expect(JSON.stringify(maskedResult)).not.toContain(CANARY);
  });

  it("keeps a message's id so that a stored copy replaces the original", () => {
    const message = new HumanMessage({ content: CANARY, id: "message-1" });
    expect(maskMessage(message, mask).id).toBe("message-1");
  });
});
