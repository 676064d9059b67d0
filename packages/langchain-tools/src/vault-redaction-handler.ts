import { BaseCallbackHandler, type CallbackHandlerMethods } from "@langchain/core/callbacks/base";
import type { BaseMessage } from "@langchain/core/messages";
import { maskDeep } from "./internal/mask-deep.js";
import { defaultSecretRegistry, type SecretRegistry } from "./secret-registry.js";

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
 * Put it in `callbacks`; put tracers in its `handlers`, not next to it. Streamed tokens are
 * masked one at a time, so a value split across two tokens is only masked in the complete
 * output that `handleLLMEnd` carries.
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

  override handleLLMNewToken(...args: unknown[]) {
    return this.#forward("handleLLMNewToken", "llm", args);
  }
  override handleChatModelStreamEvent(...args: unknown[]) {
    return this.#forward("handleChatModelStreamEvent", "llm", args);
  }
  override handleLLMError(...args: unknown[]) {
    return this.#forward("handleLLMError", "llm", args);
  }
  override handleLLMEnd(...args: unknown[]) {
    return this.#forward("handleLLMEnd", "llm", args);
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
