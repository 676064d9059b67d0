import type { LanguageModelV4CallOptions, LanguageModelV4Content } from "@ai-sdk/provider";
import { MockLanguageModelV4 } from "ai/test";

/** One tool call the scripted model makes. */
export interface ScriptedToolCall {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/** A step of the script: tool calls, or the final text (a function sees the prompt it got). */
export type ScriptedStep =
  | readonly ScriptedToolCall[]
  | string
  | ((prompt: LanguageModelV4CallOptions["prompt"]) => string);

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

function contentOf(step: ScriptedStep, options: LanguageModelV4CallOptions, callIndex: number) {
  if (typeof step === "function") return [{ type: "text" as const, text: step(options.prompt) }];
  if (typeof step === "string") return [{ type: "text" as const, text: step }];
  return step.map(
    (call, index): LanguageModelV4Content => ({
      type: "tool-call",
      toolCallId: `call-${callIndex}-${index}`,
      toolName: call.name,
      input: JSON.stringify(call.input),
    }),
  );
}

/**
 * The AI SDK's own mock language model, answering each call with the next step of a script:
 * tool calls, or text. `generate` and `stream` both follow the script; text is streamed in
 * pieces of `chunkSize` characters, so a value can be split across deltas. Every prompt it got
 * stays in `doGenerateCalls` / `doStreamCalls`.
 */
export function scriptedModel(steps: readonly ScriptedStep[], chunkSize = 5): MockLanguageModelV4 {
  let next = 0;
  const take = () => {
    const step = steps[Math.min(next, steps.length - 1)];
    next += 1;
    if (step === undefined) throw new Error("the script has no steps");
    return { step, index: next - 1 };
  };
  return new MockLanguageModelV4({
    doGenerate: async (options) => {
      const { step, index } = take();
      const content = contentOf(step, options, index);
      const calls = content.some((part) => part.type === "tool-call");
      return {
        content,
        finishReason: { unified: calls ? "tool-calls" : "stop", raw: undefined },
        usage,
        warnings: [],
      };
    },
    doStream: async (options) => {
      const { step, index } = take();
      const content = contentOf(step, options, index);
      const parts: unknown[] = [{ type: "stream-start", warnings: [] }];
      for (const part of content) {
        if (part.type === "text") {
          const id = `text-${index}`;
          parts.push({ type: "text-start", id });
          for (let at = 0; at < part.text.length; at += chunkSize) {
            parts.push({ type: "text-delta", id, delta: part.text.slice(at, at + chunkSize) });
          }
          parts.push({ type: "text-end", id });
        } else {
          parts.push(part);
        }
      }
      const calls = content.some((part) => part.type === "tool-call");
      parts.push({
        type: "finish",
        finishReason: { unified: calls ? "tool-calls" : "stop", raw: undefined },
        usage,
      });
      return {
        stream: new ReadableStream({
          start(controller) {
            for (const part of parts) controller.enqueue(part as never);
            controller.close();
          },
        }),
      };
    },
  });
}
