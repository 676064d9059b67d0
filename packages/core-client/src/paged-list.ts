import { AgentVaultError } from "./errors.js";

/** One page of a cursor-paginated listing. */
export interface Page<Item> {
  /** The items on this page. */
  readonly items: readonly Item[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  readonly nextCursor: string | null;
}

/** Fetches the page that starts at `cursor` (`undefined` = the first page). */
export type PageFetcher<ListPage> = (cursor: string | undefined) => Promise<ListPage>;

/**
 * A cursor-paginated listing: await it for one page, or iterate it with `for await` for
 * every item of every page. Nothing is requested until it is awaited or iterated.
 * `SecretList` and `AuditList` are its two kinds.
 */
export class PagedList<Item, ListPage extends Page<Item> = Page<Item>>
  implements PromiseLike<ListPage>, AsyncIterable<Item>
{
  readonly #fetchPage: PageFetcher<ListPage>;
  readonly #cursor: string | undefined;
  #firstPage: Promise<ListPage> | undefined;

  /** `cursor`: start from this page (a `nextCursor` from an earlier page). */
  constructor(fetchPage: PageFetcher<ListPage>, cursor?: string) {
    this.#fetchPage = fetchPage;
    this.#cursor = cursor;
  }

  // biome-ignore lint/suspicious/noThenProperty: being awaitable is the point of this class
  then<TResult1 = ListPage, TResult2 = never>(
    onFulfilled?: ((page: ListPage) => TResult1 | PromiseLike<TResult1>) | null,
    onRejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#first().then(onFulfilled, onRejected);
  }

  /** Like `Promise.prototype.catch` on the first page. */
  catch<TResult = never>(
    onRejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null,
  ): Promise<ListPage | TResult> {
    return this.#first().catch(onRejected);
  }

  /** Every page in turn, following `nextCursor` until the last. */
  async *pages(): AsyncGenerator<ListPage, void, undefined> {
    let page = await this.#first();
    yield page;
    const seen = new Set<string>();
    while (page.nextCursor !== null) {
      if (seen.has(page.nextCursor)) {
        throw new AgentVaultError(
          `The vault repeated a listing cursor for ${this.describeListing(page)}; stopped.`,
          { code: "INVALID_RESPONSE" },
        );
      }
      seen.add(page.nextCursor);
      page = await this.#fetchPage(page.nextCursor);
      yield page;
    }
  }

  /** Every item of every page. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** What is being listed, for error messages. */
  protected describeListing(_page: ListPage): string {
    return "this listing";
  }

  #first(): Promise<ListPage> {
    this.#firstPage ??= this.#fetchPage(this.#cursor);
    return this.#firstPage;
  }
}
