import {
  defaultSecretRegistry,
  type SecretRegistry,
  StreamRedactor,
} from "@agentsecretstore/agent-tools";
import { BaseCallbackHandler, type CallbackHandlerMethods } from "@langchain/core/callbacks/base";
import type { ChatModelStreamEvent } from "@langchain/core/language_models/event";
import type { BaseMessage } from "@langchain/core/messages";
import { maskDeep } from "./internal/mask-deep.js";

/** A vault value found in what a model was about to receive. Never carries the value. */
export interface VaultLeak {
  /** The LangChain run id of the model call. */
  readonly runId: string;
  /** Which input: the index of the message (chat models) or prompt (LLMs). */
  readonly inputIndex: number;
}

/** Thrown (when `onLeak` is `"throw"`) so that a model call carrying a vault value never goes out. */
export class VaultLeakError extends Error {
  override readonly name = "VaultLeakError";
  readonly code = "VAULT_VALUE_IN_MODEL_INPUT";
  readonly runId: string;
  readonly inputIndex: number;

  constructor(leak: VaultLeak) {
    super(
      `A value handed out by the vault was about to be sent to the model (input ${leak.inputIndex} of run ${leak.runId}); the call was stopped. Add vaultRedactionMiddleware() to the agent so that values are masked before model calls.`,
    );
    this.runId = leak.runId;
    this.inputIndex = leak.inputIndex;
  }
}

/** Options of {@link VaultRedactionHandler}. */
export interface VaultRedactionHandlerOptions {
  /**
   * The values to mask.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
  /**
   * Handlers (tracers, loggers, your own) that receive every event with the vault values
   * masked, instead of being passed to LangChain directly.
   * @default []
   */
  handlers?: readonly BaseCallbackHandler[];
  /**
   * What to do when a model is about to receive a vault value: `"throw"` stops the call with
   * a {@link VaultLeakError}; a function is told about it, and the call goes ahead unless the
   * function throws.
   * @default "throw"
   */
  onLeak?: "throw" | ((leak: VaultLeak) => void);
}

type HandlerMethod = keyof CallbackHandlerMethods;
type TokenIndices = Parameters<NonNullable<CallbackHandlerMethods["handleLLMNewToken"]>>[1];
type TokenFields = Parameters<NonNullable<CallbackHandlerMethods["handleLLMNewToken"]>>[5];

// A stream whose end is held back, and how to pass that on (masked) when the stream ends.
interface HeldText {
  readonly redactor: StreamRedactor;
  release(masked: string): Promise<void>;
}
type ContentBlockDelta = Extract<ChatModelStreamEvent, { event: "content-block-delta" }>["delta"];
// Which `ignore*` flag of a receiving handler silences an event.
type Category = "llm" | "chain" | "agent" | "retriever" | "custom" | "any";

/**
 * A LangChain callback handler that guards and cleans what callbacks see:
 * - before a model call starts, it checks the model's input for any value the vault handed
 *   out and, by default, stops the call with a {@link VaultLeakError} (a tripwire behind
 *   {@link vaultRedactionMiddleware}, and the guard for chains that do not use `createAgent`);
 * - it passes every event (LLM inputs and outputs, tokens, tool inputs and outputs, chain
 *   values, errors) to the `handlers` you give it with the vault values masked, so tracers and
 *   loggers placed behind it never record a value.
 *
 * Put it in `callbacks`; put tracers in its `handlers`, not next to it. Streamed text (tokens,
 * and text deltas of chat model stream events) is masked as a whole per run: the end of what
 * has arrived is held back while it could still be the start of a value (at most one character
 * of ordinary text; the rest of a value until it is complete), so a value split across tokens
 * is masked too. The held text is passed on, masked, before the block's finish event and
 * before `handleLLMEnd` or `handleLLMError`. A token event whose text was held back is passed
 * on with the text passed so far (possibly `""`) and without its `chunk`.
 *
 * @example
 * const handler = new VaultRedactionHandler({ registry, handlers: [new ConsoleCallbackHandler()] });
 * await agent.invoke(input, { callbacks: [handler] });
 */
export class VaultRedactionHandler extends BaseCallbackHandler {
  name = "VaultRedactionHandler";
  readonly #registry: SecretRegistry;
  readonly #handlers: readonly BaseCallbackHandler[];
  readonly #onLeak: "throw" | ((leak: VaultLeak) => void);
  readonly #options: VaultRedactionHandlerOptions;
  // Per run id, per stream (a completion, or a content block of a stream event).
  readonly #held = new Map<string, Map<string, HeldText>>();

  constructor(options: VaultRedactionHandlerOptions = {}) {
    const onLeak = options.onLeak ?? "throw";
    // Awaited and raising: the only way a handler can stop a model call before it is sent.
    // Receivers' own failures are caught in #forward, so only a leak can raise here.
    super({ _awaitHandler: true, raiseError: true });
    this.#options = options;
    this.#registry = options.registry ?? defaultSecretRegistry;
    this.#handlers = [...(options.handlers ?? [])];
    this.#onLeak = onLeak;
  }

  /** A handler with the same registry, receivers and leak policy. */
  override copy(): VaultRedactionHandler {
    return new VaultRedactionHandler(this.#options);
  }

  /** Checks the model's input for vault values, then forwards a masked copy. */
  override async handleChatModelStart(
    llm: Parameters<NonNullable<CallbackHandlerMethods["handleChatModelStart"]>>[0],
    messages: BaseMessage[][],
    runId: string,
    ...rest: unknown[]
  ): Promise<void> {
    messages.forEach((batch, inputIndex) => {
      const masked = maskDeep(batch, (text) => this.#registry.mask(text, { forModel: true }));
      if (masked !== batch) this.#leak({ runId, inputIndex });
    });
    await this.#forward("handleChatModelStart", "llm", [llm, messages, runId, ...rest]);
  }

  /** Checks a completion model's prompts for vault values, then forwards a masked copy. */
  override async handleLLMStart(
    llm: Parameters<NonNullable<CallbackHandlerMethods["handleLLMStart"]>>[0],
    prompts: string[],
    runId: string,
    ...rest: unknown[]
  ): Promise<void> {
    prompts.forEach((prompt, inputIndex) => {
      if (this.#registry.contains(prompt, { forModel: true })) this.#leak({ runId, inputIndex });
    });
    await this.#forward("handleLLMStart", "llm", [llm, prompts, runId, ...rest]);
  }

  /** Forwards the part of the run's streamed text that can no longer be part of a value, masked. */
  override async handleLLMNewToken(
    token: string,
    idx: TokenIndices,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    fields?: TokenFields,
  ): Promise<void> {
    if (this.#handlers.length === 0) return;
    const send = (text: string, tokenFields?: TokenFields) =>
      this.#forward("handleLLMNewToken", "llm", [text, idx, runId, parentRunId, tags, tokenFields]);
    const key = `token:${idx.prompt}:${idx.completion}`;
    const { settled, intact } = this.#settle(runId, key, token, (masked) => send(masked));
    // The chunk repeats the token's own text: it goes along only when that text went whole.
    const { chunk: _chunk, ...withoutChunk } = fields ?? {};
    await send(settled, intact ? fields : withoutChunk);
  }

  /** Forwards stream events, with streamed text deltas held back and masked like tokens. */
  override async handleChatModelStreamEvent(
    event: ChatModelStreamEvent,
    runId: string,
    parentRunId?: string,
    tags?: string[],
  ): Promise<void> {
    if (this.#handlers.length === 0) return;
    const send = (streamEvent: ChatModelStreamEvent) =>
      this.#forward("handleChatModelStreamEvent", "llm", [streamEvent, runId, parentRunId, tags]);
    const text = event.event === "content-block-delta" ? deltaText(event.delta) : undefined;
    if (event.event === "content-block-delta" && text !== undefined) {
      const withText = (masked: string): ChatModelStreamEvent => ({
        ...event,
        delta: withDeltaText(event.delta, masked),
      });
      const key = `block:${event.index}:${event.delta.type}`;
      const { settled } = this.#settle(runId, key, text, (masked) => send(withText(masked)));
      return send(withText(settled));
    }
    if (event.event === "content-block-finish") {
      await this.#release(runId, (key) => key.startsWith(`block:${event.index}:`));
    } else if (event.event === "message-finish" || event.event === "error") {
      await this.#release(runId, (key) => key.startsWith("block:"));
    }
    return send(event);
  }

  /** Forwards the run's held-back streamed text, masked, then the error. */
  override async handleLLMError(error: unknown, runId: string, ...rest: unknown[]) {
    await this.#release(runId);
    return this.#forward("handleLLMError", "llm", [error, runId, ...rest]);
  }

  /** Forwards the run's held-back streamed text, masked, then the output. */
  override async handleLLMEnd(output: unknown, runId: string, ...rest: unknown[]) {
    await this.#release(runId);
    return this.#forward("handleLLMEnd", "llm", [output, runId, ...rest]);
  }
  override handleChainStart(...args: unknown[]) {
    return this.#forward("handleChainStart", "chain", args);
  }
  override handleChainError(...args: unknown[]) {
    return this.#forward("handleChainError", "chain", args);
  }
  override handleChainEnd(...args: unknown[]) {
    return this.#forward("handleChainEnd", "chain", args);
  }
  override handleToolStart(...args: unknown[]) {
    return this.#forward("handleToolStart", "any", args);
  }
  override handleToolError(...args: unknown[]) {
    return this.#forward("handleToolError", "any", args);
  }
  override handleToolEnd(...args: unknown[]) {
    return this.#forward("handleToolEnd", "any", args);
  }
  override handleToolEvent(...args: unknown[]) {
    return this.#forward("handleToolEvent", "any", args);
  }
  override handleText(...args: unknown[]) {
    return this.#forward("handleText", "any", args);
  }
  override handleAgentAction(...args: unknown[]) {
    return this.#forward("handleAgentAction", "agent", args);
  }
  override handleAgentEnd(...args: unknown[]) {
    return this.#forward("handleAgentEnd", "agent", args);
  }
  override handleRetrieverStart(...args: unknown[]) {
    return this.#forward("handleRetrieverStart", "retriever", args);
  }
  override handleRetrieverEnd(...args: unknown[]) {
    return this.#forward("handleRetrieverEnd", "retriever", args);
  }
  override handleRetrieverError(...args: unknown[]) {
    return this.#forward("handleRetrieverError", "retriever", args);
  }
  override handleCustomEvent(...args: unknown[]) {
    return this.#forward("handleCustomEvent", "custom", args);
  }

  #leak(leak: VaultLeak): void {
    if (this.#onLeak === "throw") throw new VaultLeakError(leak);
    this.#onLeak(leak);
  }

  /**
   * Appends `text` to the stream's held text and takes off the part that can no longer be part
   * of a value. `intact`: nothing was held before or after, so `text` went on whole.
   */
  #settle(
    runId: string,
    key: string,
    text: string,
    release: (masked: string) => Promise<void>,
  ): { settled: string; intact: boolean } {
    const streams = this.#held.get(runId) ?? new Map<string, HeldText>();
    const held = streams.get(key) ?? { redactor: new StreamRedactor(this.#registry), release };
    const wasHolding = held.redactor.holding;
    const settled = held.redactor.push(text);
    if (held.redactor.holding) streams.set(key, { redactor: held.redactor, release });
    else streams.delete(key);
    if (streams.size === 0) this.#held.delete(runId);
    else this.#held.set(runId, streams);
    return { settled, intact: !wasHolding && !held.redactor.holding };
  }

  /** Passes on (masked) and forgets the held text of the run's streams that `which` selects. */
  async #release(runId: string, which: (key: string) => boolean = () => true): Promise<void> {
    const streams = this.#held.get(runId);
    if (streams === undefined) return;
    for (const [key, held] of [...streams]) {
      if (!which(key)) continue;
      streams.delete(key);
      await held.release(held.redactor.flush());
    }
    if (streams.size === 0) this.#held.delete(runId);
  }

  async #forward(method: HandlerMethod, category: Category, args: unknown[]): Promise<void> {
    if (this.#handlers.length === 0) return;
    const masked = args.map((arg) => this.#maskArgument(arg));
    for (const handler of this.#handlers) {
      if (isIgnored(handler, category)) continue;
      const target = (handler as unknown as Record<string, unknown>)[method];
      if (typeof target !== "function") continue;
      try {
        await target.apply(handler, masked);
      } catch (error) {
        if (handler.raiseError) throw error;
      }
    }
  }

  #maskArgument(arg: unknown): unknown {
    const mask = (text: string) => this.#registry.mask(text);
    if (arg instanceof Error) {
      const message = mask(arg.message);
      if (message === arg.message) return arg;
      const copy = new Error(message);
      copy.name = arg.name;
      return copy;
    }
    return maskDeep(arg, mask, { classInstances: true });
  }
}

/** The streamed text a delta carries, if it is of a kind that carries text. */
function deltaText(delta: ContentBlockDelta): string | undefined {
  switch (delta.type) {
    case "text-delta":
      return delta.text;
    case "reasoning-delta":
      return delta.reasoning;
    case "tool-call-delta":
      return delta.args;
    default:
      return undefined;
  }
}

function withDeltaText(delta: ContentBlockDelta, text: string): ContentBlockDelta {
  switch (delta.type) {
    case "text-delta":
      return { ...delta, text };
    case "reasoning-delta":
      return { ...delta, reasoning: text };
    case "tool-call-delta":
      return { ...delta, args: text };
    default:
      return delta;
  }
}

function isIgnored(handler: BaseCallbackHandler, category: Category): boolean {
  switch (category) {
    case "llm":
      return handler.ignoreLLM;
    case "chain":
      return handler.ignoreChain;
    case "agent":
      return handler.ignoreAgent;
    case "retriever":
      return handler.ignoreRetriever;
    case "custom":
      return handler.ignoreCustomEvent;
    default:
      return false;
  }
}
