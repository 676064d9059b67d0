import type { ApiKeyProvider, SecretRegistry } from "@agentsecretstore/agent-tools";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";

type Built<Model> = { readonly apiKey: string; readonly model: Promise<Model> };

/**
 * The state behind a lazy chat model: which key the real model was built with, and the one
 * 401 retry. Shared by the lazy model and every runnable derived from it (`bindTools`,
 * `withStructuredOutput`), so that all of them follow the same rotations.
 */
export class ModelSession<Model extends BaseChatModel> {
  readonly #factory: (apiKey: string) => Model | Promise<Model>;
  readonly #credential: ApiKeyProvider;
  readonly #registry: SecretRegistry;
  #built: Built<Model> | undefined;
  #resolved: Model | undefined;
  #buildCount = 0;

  constructor(
    factory: (apiKey: string) => Model | Promise<Model>,
    credential: ApiKeyProvider,
    registry: SecretRegistry,
  ) {
    this.#factory = factory;
    this.#credential = credential;
    this.#registry = registry;
  }

  /** The last model built, if any (synchronous, for names and profiles). */
  get current(): Model | undefined {
    return this.#resolved;
  }

  get buildCount(): number {
    return this.#buildCount;
  }

  async model(): Promise<Model> {
    return this.#modelFor(await this.#readKey());
  }

  /** Runs `operation` on the model for the current key; once more with a fresh key after a 401. */
  async run<T>(operation: (model: Model) => Promise<T>): Promise<T> {
    const apiKey = await this.#readKey();
    try {
      return await operation(await this.#modelFor(apiKey));
    } catch (error) {
      const freshKey = await this.#freshKeyAfter(error, apiKey);
      if (freshKey === undefined) throw error;
      return operation(await this.#modelFor(freshKey));
    }
  }

  /** Like {@link run} for a stream: retried only when the 401 came before the first chunk. */
  async *stream<T>(open: (model: Model) => Promise<AsyncIterable<T>>): AsyncGenerator<T> {
    const apiKey = await this.#readKey();
    let started = false;
    try {
      for await (const chunk of await open(await this.#modelFor(apiKey))) {
        started = true;
        yield chunk;
      }
      return;
    } catch (error) {
      if (started) throw error;
      const freshKey = await this.#freshKeyAfter(error, apiKey);
      if (freshKey === undefined) throw error;
      yield* await open(await this.#modelFor(freshKey));
    }
  }

  async #readKey(): Promise<string> {
    const apiKey = await this.#credential();
    if (typeof apiKey !== "string" || apiKey.length === 0) {
      throw new TypeError("The credential provider of a lazy chat model returned no API key");
    }
    this.#registry.add(apiKey);
    return apiKey;
  }

  /** The refreshed key when `error` is a 401 and refreshing produced a different key. */
  async #freshKeyAfter(error: unknown, staleKey: string): Promise<string | undefined> {
    if (!isUnauthorized(error)) return undefined;
    const refresh = this.#credential.refresh;
    const freshKey = await (refresh === undefined
      ? this.#credential()
      : refresh.call(this.#credential));
    if (typeof freshKey !== "string" || freshKey.length === 0) return undefined;
    this.#registry.add(freshKey);
    // The same key again would get the same 401: let the caller see the original error.
    return freshKey === staleKey ? undefined : freshKey;
  }

  #modelFor(apiKey: string): Promise<Model> {
    if (this.#built?.apiKey === apiKey) return this.#built.model;
    const model = Promise.resolve()
      .then(() => this.#factory(apiKey))
      .then((built) => {
        if (this.#built?.model === model) this.#resolved = built;
        return built;
      });
    this.#built = { apiKey, model };
    this.#buildCount += 1;
    // A failed build must not be cached: the next call tries again.
    model.catch(() => {
      if (this.#built?.model === model) this.#built = undefined;
    });
    return model;
  }
}

/**
 * Whether a model call failed with HTTP 401. Providers wrap their SDK errors differently, so
 * this looks at the usual places: `status`, `response.status`, LangChain's
 * `lc_error_code: "MODEL_AUTHENTICATION"`, and the error's cause.
 */
function isUnauthorized(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 3) return false;
  const record = error as Record<string, unknown>;
  if (record.status === 401 || record.statusCode === 401) return true;
  if (record.lc_error_code === "MODEL_AUTHENTICATION") return true;
  const response = record.response;
  if (typeof response === "object" && response !== null) {
    if ((response as Record<string, unknown>).status === 401) return true;
  }
  return isUnauthorized(record.cause, depth + 1);
}
