import type { ApiKeyProvider } from "@agentsecretstore/agent-tools";
import { defaultSecretRegistry, type SecretRegistry } from "@agentsecretstore/agent-tools";
import type { AgentVault } from "@agentsecretstore/client";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from "@langchain/core/language_models/base";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from "@langchain/core/language_models/chat_models";
import type { AIMessageChunk, BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import type { Runnable } from "@langchain/core/runnables";
import { LazyModelRunnable } from "./internal/lazy-model-runnable.js";
import { ModelSession } from "./internal/model-session.js";

/**
 * Builds the real chat model for one API key. Called again whenever the key changes. Through a
 * broker route, `apiKey` is the vault token and `connection.baseURL` the route's URL.
 */
export type ChatModelFactory<Model extends BaseChatModel = BaseChatModel> = (
  apiKey: string,
  connection: { baseURL?: string },
) => Model | Promise<Model>;

/**
 * A vault broker route as the model's connection (docs/protocol.md, "Credential broker"): the
 * model calls `<vault>/v1/broker/<broker><basePath>` with the vault `token` as its API key, and
 * the vault injects the provider's key, which this process never holds.
 */
export interface BrokerConnection {
  /** The vault client (only its `broker()` is used). */
  vault: Pick<AgentVault, "broker">;
  /** The broker route's name, e.g. `"openai"`. */
  broker: string;
  /** A vault token scoped `secrets:use:<the route's secret>`. */
  token: string;
  /**
   * The upstream path the model's calls go below.
   * @default "/v1"
   */
  basePath?: string;
}

function brokerKeyAndUrl(connection: BrokerConnection): { key: ApiKeyProvider; baseURL: string } {
  const { vault, broker, token, basePath = "/v1" } = connection;
  if (typeof token !== "string" || token === "") {
    throw new TypeError("token: give the vault token the model's calls carry (secrets:use:…)");
  }
  return {
    key: async () => token,
    baseURL: `${vault.broker(broker, { token }).baseURL}${basePath}`,
  };
}

/** Options of {@link lazyChatModel}. */
export interface LazyChatModelOptions {
  /**
   * Where every API key the model is built with gets registered, so that the redaction
   * middleware, callback handler and trace anonymizer mask it.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
}

/**
 * A chat model that builds the real one on first use, with an API key read from a credential
 * provider, and behaves as that model: `invoke`, `stream`, `batch`, `bindTools`,
 * `withStructuredOutput`, and `createAgent({ model })` all work on it.
 *
 * - Nothing is fetched until the first call.
 * - Each call asks the provider for the key (the provider caches it) and rebuilds the model
 *   when the key changed, so a rotation reaches a running agent.
 * - When the model API answers 401, the provider is refreshed (`provider.refresh()`) and the
 *   call is made once more with the fresh key; a second 401 is thrown. A stream is retried
 *   only when the 401 came before its first chunk.
 * - The key never leaves the factory call: it is registered in the secret registry, and the
 *   wrapper's `toJSON()` does not serialise the inner model's fields.
 *
 * Create it with {@link lazyChatModel}.
 */
export class LazyChatModel<Model extends BaseChatModel = BaseChatModel> extends BaseChatModel<
  BaseChatModelCallOptions,
  AIMessageChunk
> {
  static override lc_name(): string {
    return "LazyChatModel";
  }

  override lc_serializable = false;
  readonly #session: ModelSession<Model>;

  constructor(
    factory: ChatModelFactory<Model>,
    source: ApiKeyProvider | BrokerConnection,
    options: LazyChatModelOptions = {},
  ) {
    super({});
    if (typeof factory !== "function") {
      throw new TypeError("lazyChatModel needs a factory function: (apiKey) => new ChatModel(...)");
    }
    let credential = source as ApiKeyProvider;
    let build: (apiKey: string) => Model | Promise<Model> = (apiKey) => factory(apiKey, {});
    if (typeof source === "object" && source !== null && "broker" in source) {
      const brokered = brokerKeyAndUrl(source);
      credential = brokered.key;
      build = (apiKey) => factory(apiKey, { baseURL: brokered.baseURL });
    }
    if (typeof credential !== "function") {
      throw new TypeError(
        "lazyChatModel needs a credential provider: createCredentialProvider(vault, path, { token }) from @agentsecretstore/client, or { vault, broker, token }",
      );
    }
    this.#session = new ModelSession(build, credential, options.registry ?? defaultSecretRegistry);
  }

  _llmType(): string {
    // BaseChatModel's constructor asks for the type before this class's fields exist.
    if (!(#session in this)) return "lazy";
    return this.#session.current?._llmType() ?? "lazy";
  }

  /**
   * The real model for the current key: built on the first call, rebuilt after the key
   * changed. Useful for reading its settings; calls made on it bypass the 401 retry.
   */
  getModel(): Promise<Model> {
    return this.#session.model();
  }

  /** How many times the real model was built (once per distinct key). */
  get buildCount(): number {
    return this.#session.buildCount;
  }

  override invoke(
    input: BaseLanguageModelInput,
    options?: Partial<BaseChatModelCallOptions>,
  ): Promise<AIMessageChunk> {
    return this.#session.run((model) => model.invoke(input, options) as Promise<AIMessageChunk>);
  }

  override async *_streamIterator(
    input: BaseLanguageModelInput,
    options?: Partial<BaseChatModelCallOptions>,
  ): AsyncGenerator<AIMessageChunk> {
    yield* this.#session.stream(
      async (model) => (await model.stream(input, options)) as AsyncIterable<AIMessageChunk>,
    );
  }

  async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    return this.#session.run((model) => model._generate(messages, options, runManager));
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    yield* this.#session.stream(async (model) =>
      model._streamResponseChunks(messages, options, runManager),
    );
  }

  /**
   * Binds tools the way the real model does (`model.bindTools(tools, kwargs)`), on whichever
   * model the current key builds: the result keeps following rotations.
   */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<BaseChatModelCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, BaseChatModelCallOptions> {
    return new LazyModelRunnable<BaseLanguageModelInput, AIMessageChunk, BaseChatModelCallOptions>(
      this.#session,
      (model) => {
        if (typeof model.bindTools !== "function") {
          throw new TypeError(`The chat model ${model._llmType()} does not support tool calling`);
        }
        return model.bindTools(tools, kwargs) as Runnable<
          BaseLanguageModelInput,
          AIMessageChunk,
          BaseChatModelCallOptions
        >;
      },
    );
  }

  /** Structured output the way the real model does it, on whichever model the current key builds. */
  // biome-ignore lint/suspicious/noExplicitAny: mirrors BaseChatModel's own signature
  override withStructuredOutput<RunOutput extends Record<string, any> = Record<string, any>>(
    // biome-ignore lint/suspicious/noExplicitAny: any schema the real model accepts
    outputSchema: any,
    config?: StructuredOutputMethodOptions<boolean>,
  ): Runnable<BaseLanguageModelInput, RunOutput> {
    return new LazyModelRunnable<BaseLanguageModelInput, RunOutput>(
      this.#session,
      (model) =>
        // The overloads only differ in `includeRaw`, which is passed through as given.
        model.withStructuredOutput(
          outputSchema,
          config as StructuredOutputMethodOptions<false>,
        ) as Runnable<BaseLanguageModelInput, RunOutput>,
    );
  }
}

/**
 * Wrap a chat model so that it is built on first use with an API key from the vault, rebuilt
 * after a rotation, and retried once with a fresh key after a 401. See {@link LazyChatModel}.
 *
 * @example
 * const model = lazyChatModel(
 *   (apiKey) => new ChatOpenAI({ apiKey, model: "gpt-4o-mini" }),
 *   createCredentialProvider(vault, "production/openai/api-key", { token }),
 * );
 * const agent = createAgent({ model, tools });
 *
 * // Through the vault's broker route: the process holds a use-scoped token, never the key.
 * const brokered = lazyChatModel(
 *   (apiKey, { baseURL }) => new ChatOpenAI({ apiKey, configuration: { baseURL }, model: "gpt-4o-mini" }),
 *   { vault, broker: "openai", token },
 * );
 */
export function lazyChatModel<Model extends BaseChatModel>(
  factory: ChatModelFactory<Model>,
  credential: ApiKeyProvider | BrokerConnection,
  options: LazyChatModelOptions = {},
): LazyChatModel<Model> {
  return new LazyChatModel(factory, credential, options);
}
