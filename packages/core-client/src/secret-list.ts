import { AgentVaultError } from "./errors.js";
import type { SecretMetadata } from "./models/secret-metadata.js";
import type { SecretPage } from "./models/secret-page.js";

/** Fetches the page that starts at `cursor` (`undefined` = the first page). */
export type PageFetcher = (cursor: string | undefined) => Promise<SecretPage>;

/**
 * What `listSecrets` returns: await it for one page, or iterate it with `for await` for
 * every item of every page. Nothing is requested until it is awaited or iterated.
 *
 * @example
 * const page = await vault.listSecrets("production", { limit: 50 }); // page.items, page.nextCursor
 * for await (const item of vault.listSecrets("production")) console.log(item.path);
 */
export class SecretList implements PromiseLike<SecretPage>, AsyncIterable<SecretMetadata> {
  readonly #fetchPage: PageFetcher;
  readonly #cursor: string | undefined;
  #firstPage: Promise<SecretPage> | undefined;

  constructor(fetchPage: PageFetcher, cursor?: string) {
    this.#fetchPage = fetchPage;
    this.#cursor = cursor;
  }

  // biome-ignore lint/suspicious/noThenProperty: being awaitable is the point of this class
  then<TResult1 = SecretPage, TResult2 = never>(
    onFulfilled?: ((page: SecretPage) => TResult1 | PromiseLike<TResult1>) | null,
    onRejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#first().then(onFulfilled, onRejected);
  }

  /** Like `Promise.prototype.catch` on the first page. */
  catch<TResult = never>(
    onRejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null,
  ): Promise<SecretPage | TResult> {
    return this.#first().catch(onRejected);
  }

  /** Every page in turn, following `nextCursor` until the last. */
  async *pages(): AsyncGenerator<SecretPage, void, undefined> {
    let page = await this.#first();
    yield page;
    const seen = new Set<string>();
    while (page.nextCursor !== null) {
      if (seen.has(page.nextCursor)) {
        throw new AgentVaultError(
          `The vault repeated a listing cursor for namespace "${page.namespace}"; stopped to avoid looping forever.`,
          { code: "INVALID_RESPONSE" },
        );
      }
      seen.add(page.nextCursor);
      page = await this.#fetchPage(page.nextCursor);
      yield page;
    }
  }

  /** Every item of every page. */
  async *[Symbol.asyncIterator](): AsyncGenerator<SecretMetadata, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  #first(): Promise<SecretPage> {
    this.#firstPage ??= this.#fetchPage(this.#cursor);
    return this.#firstPage;
  }
}
