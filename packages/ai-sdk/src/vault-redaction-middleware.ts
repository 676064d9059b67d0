import {
  defaultSecretRegistry,
  maskDeep,
  type SecretRegistry,
  StreamRedactor,
} from "@agentsecretstore/agent-tools";
import type { LanguageModelMiddleware } from "ai";

/** Options of {@link vaultRedactionMiddleware}. */
export interface VaultRedactionMiddlewareOptions {
  /**
   * The values to mask: everything the vault tools and provider helpers registered.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
}

type StreamPart = { type: string; id?: string; delta?: string };

// Stream parts whose `delta` is text that may carry a value split across parts, and the part
// that ends each such stream.
const DELTA_PARTS: Record<string, string> = {
  "text-delta": "text-end",
  "reasoning-delta": "reasoning-end",
  "tool-input-delta": "tool-input-end",
};
const END_PARTS = new Set(Object.values(DELTA_PARTS));

/**
 * A language model middleware (`wrapLanguageModel({ model, middleware })`) that keeps vault
 * values away from the model and out of what it returns:
 * - every message the model is about to receive (system prompt, user text, tool calls and
 *   tool results of any tool) has the registered values masked;
 * - what the model answers (text, reasoning, tool call inputs) is masked before `generateText`
 *   or `streamText` sees it, so results, steps and stored messages hold masked text. Streamed
 *   deltas are masked as one text per block: the end of a block is held back while it could
 *   still be the start of a value, and passed on, masked, before the block's end part.
 *
 * Values the developer revealed on purpose (`get_secret` with `revealValues: true`) stay
 * readable; vault credentials (`ast_tok_…`, `ass_live_…`, `ass_admin_…`) are always masked.
 * For telemetry, wrap the integrations with `redactTelemetry`.
 *
 * @example
 * const model = wrapLanguageModel({ model: openai("gpt-4o-mini"), middleware: vaultRedactionMiddleware({ registry }) });
 */
export function vaultRedactionMiddleware(
  options: VaultRedactionMiddlewareOptions = {},
): LanguageModelMiddleware {
  const registry = options.registry ?? defaultSecretRegistry;
  const mask = (text: string) => registry.mask(text, { forModel: true });
  return {
    transformParams: async ({ params }) => {
      const prompt = maskDeep(params.prompt, mask);
      return prompt === params.prompt ? params : { ...params, prompt };
    },
    wrapGenerate: async ({ doGenerate }) => {
      const result = await doGenerate();
      const content = maskDeep(result.content, mask);
      return content === result.content ? result : { ...result, content };
    },
    wrapStream: async ({ doStream }) => {
      const { stream, ...rest } = await doStream();
      return { ...rest, stream: stream.pipeThrough(maskStream(registry)) };
    },
  };
}

/** Masks stream parts: deltas per block through a {@link StreamRedactor}, the rest whole. */
function maskStream<Part extends StreamPart>(
  registry: SecretRegistry,
): TransformStream<Part, Part> {
  const redactors = new Map<string, { redactor: StreamRedactor; part: Part }>();
  const mask = (text: string) => registry.mask(text, { forModel: true });
  const flush = (key: string, controller: TransformStreamDefaultController<Part>) => {
    const held = redactors.get(key);
    if (held === undefined) return;
    redactors.delete(key);
    const rest = held.redactor.flush();
    if (rest !== "") controller.enqueue({ ...held.part, delta: rest });
  };
  return new TransformStream<Part, Part>({
    transform(part, controller) {
      if (part.type in DELTA_PARTS && typeof part.delta === "string") {
        const key = `${part.type}:${part.id}`;
        const held = redactors.get(key) ?? {
          redactor: new StreamRedactor(registry, { forModel: true }),
          part,
        };
        redactors.set(key, { redactor: held.redactor, part });
        const delta = held.redactor.push(part.delta);
        if (delta !== "") controller.enqueue({ ...part, delta });
        return;
      }
      if (END_PARTS.has(part.type)) {
        const deltaType = Object.keys(DELTA_PARTS).find((type) => DELTA_PARTS[type] === part.type);
        flush(`${deltaType}:${part.id}`, controller);
      } else if (part.type === "finish" || part.type === "error") {
        for (const key of [...redactors.keys()]) flush(key, controller);
      }
      controller.enqueue(maskDeep(part, mask));
    },
    flush(controller) {
      for (const key of [...redactors.keys()]) flush(key, controller);
    },
  });
}
