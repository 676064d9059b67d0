import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { Runnable, type RunnableConfig } from "@langchain/core/runnables";
import type { ModelSession } from "./model-session.js";

/**
 * A runnable derived from a lazy chat model (`bindTools`, `withStructuredOutput`): the
 * derivation is applied to whichever real model the current key builds, once per model.
 */
export class LazyModelRunnable<
  RunInput,
  RunOutput,
  CallOptions extends RunnableConfig = RunnableConfig,
> extends Runnable<RunInput, RunOutput, CallOptions> {
  static override lc_name(): string {
    return "LazyModelRunnable";
  }

  lc_namespace = ["agentsecretstore", "langchain"];
  readonly #session: ModelSession<BaseChatModel>;
  readonly #derive: (model: BaseChatModel) => Runnable<RunInput, RunOutput, CallOptions>;
  readonly #derived = new WeakMap<BaseChatModel, Runnable<RunInput, RunOutput, CallOptions>>();

  constructor(
    // biome-ignore lint/suspicious/noExplicitAny: any chat model type the session builds
    session: ModelSession<any>,
    derive: (model: BaseChatModel) => Runnable<RunInput, RunOutput, CallOptions>,
  ) {
    super();
    this.#session = session;
    this.#derive = derive;
  }

  override invoke(input: RunInput, options?: Partial<CallOptions>): Promise<RunOutput> {
    return this.#session.run((model) => this.#for(model).invoke(input, options));
  }

  override async *_streamIterator(
    input: RunInput,
    options?: Partial<CallOptions>,
  ): AsyncGenerator<RunOutput> {
    yield* this.#session.stream((model) => this.#for(model).stream(input, options));
  }

  #for(model: BaseChatModel): Runnable<RunInput, RunOutput, CallOptions> {
    let derived = this.#derived.get(model);
    if (derived === undefined) {
      derived = this.#derive(model);
      this.#derived.set(model, derived);
    }
    return derived;
  }
}
