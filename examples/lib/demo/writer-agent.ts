import type { AgentVault } from "@agentsecretstore/client";
import { createOpenAI } from "@agentsecretstore/openai";
import type { OpenAIStub } from "../openai-stub.js";

/** Options of {@link runWriter}. */
export type WriterOptions = {
  /** The subagent's own client, holding only its scoped token. */
  vault: AgentVault;
  /** The local OpenAI-compatible API. */
  openaiStub: OpenAIStub;
  /** The prompts, one chat completion each. */
  prompts: readonly string[];
  /** Runs before each call (1-based), so the demo can rotate the key mid-run. */
  beforeCall: (call: number) => Promise<void>;
  print: (text: string) => void;
};

/**
 * A subagent calling the OpenAI API through `createOpenAI`: the key is read from the vault
 * with its token on the first call, cached, and re-read once when the API answers 401.
 * Returns how many calls succeeded.
 */
export async function runWriter(options: WriterOptions): Promise<number> {
  const { vault, openaiStub, prompts, beforeCall, print } = options;
  const openai = createOpenAI({
    vault,
    path: "production/openai/api-key",
    baseURL: openaiStub.baseURL,
    maxRetries: 0,
  });
  let succeeded = 0;
  for (const [index, prompt] of prompts.entries()) {
    await beforeCall(index + 1);
    const seenBefore = openaiStub.exchanges.length;
    const completion = await openai.chat.completions.create({
      model: "stub-model",
      messages: [{ role: "user", content: prompt }],
    });
    succeeded += 1;
    const wire = openaiStub.exchanges
      .slice(seenBefore)
      .map((exchange) => `${exchange.presented} → ${exchange.status}`)
      .join(", ");
    print(`call ${index + 1}: ${wire}: ${completion.choices[0]?.message.content}`);
  }
  return succeeded;
}
