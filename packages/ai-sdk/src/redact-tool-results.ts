import {
  defaultSecretRegistry,
  maskDeep,
  type SecretRegistry,
} from "@agentsecretstore/agent-tools";
import type { ToolSet } from "ai";

/** Options of {@link redactToolResults}. */
export interface RedactToolResultsOptions {
  /**
   * The values to mask.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
}

/**
 * The same tools, whose every result has the vault's values masked before the AI SDK records
 * it (steps, `toolResults`, response messages, UI streams), whichever tool made it: the vault
 * tools mask their own, this covers yours (a tool that reads a secret through the client and
 * returns more than it should). Values revealed to the model on purpose stay readable. Streamed
 * results (an `execute` that yields) are masked part by part.
 *
 * @example
 * const tools = redactToolResults({ ...createVaultTools(vault, { registry }), lookup }, { registry });
 */
export function redactToolResults<Tools extends ToolSet>(
  tools: Tools,
  options: RedactToolResultsOptions = {},
): Tools {
  const registry = options.registry ?? defaultSecretRegistry;
  const mask = <T>(value: T): T =>
    maskDeep(value, (text) => registry.mask(text, { forModel: true }));
  const wrapped: Record<string, unknown> = {};
  for (const [name, original] of Object.entries(tools)) {
    const execute = original.execute;
    if (typeof execute !== "function") {
      wrapped[name] = original;
      continue;
    }
    wrapped[name] = {
      ...original,
      execute: (input: unknown, executionOptions: unknown) => {
        const result = (execute as (...args: unknown[]) => unknown)(input, executionOptions);
        if (isAsyncIterable(result)) return maskEach(result, mask);
        return Promise.resolve(result).then(mask);
      },
    };
  }
  return wrapped as Tools;
}

async function* maskEach<T>(parts: AsyncIterable<T>, mask: <U>(value: U) => U): AsyncGenerator<T> {
  for await (const part of parts) yield mask(part);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}
