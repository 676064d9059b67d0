import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { DirectStatements } from "./direct-statements.js";
import type { Database } from "./schema.js";

/**
 * What a database's prepared queries are kept under (the same object for the database and its
 * transactions), and, on SQLite's main-thread connection, how they run without Kysely's
 * executor (direct-statements.ts). `{}` runs them through Kysely.
 */
export type PreparedOwner = { readonly direct?: DirectStatements | undefined };

/**
 * A hot query built and compiled by Kysely once per database, then run with new parameters
 * (Kysely otherwise builds its immutable query tree and compiles it to SQL on every call, which
 * costs more than running a small indexed query). The SQL text stays the same, so SQLite's
 * statement cache (sqlite-database.ts) and PostgreSQL see one statement.
 *
 * `build` gets one placeholder per parameter and uses each (once or more) where its value goes,
 * as a bound value; the placeholders' positions in the compiled SQL say where each call's values
 * go. Any other value the query binds (a constant such as the 1 of `uses + 1`) stays as built.
 */
export class PreparedQuery<Params extends readonly unknown[], Row> {
  /** Per database (root or transaction executors share their root's dialect, hence the SQL). */
  readonly #compiled = new WeakMap<object, { query: CompiledQuery<Row>; order: number[] }>();

  constructor(
    private readonly arity: Params["length"],
    private readonly build: (db: Kysely<Database>, ...params: Params) => Compilable<Row>,
  ) {}

  /**
   * Runs the query on `db` (the database or a transaction of it); `owner` is what the compiled
   * form is kept under: the same object for every executor of one database.
   */
  async execute(owner: PreparedOwner, db: Kysely<Database>, ...params: Params): Promise<Row[]> {
    let compiled = this.#compiled.get(owner);
    if (compiled === undefined) {
      compiled = this.#compile(db);
      this.#compiled.set(owner, compiled);
    }
    const fixed = compiled.query.parameters;
    const parameters = compiled.order.map((index, at) => (index < 0 ? fixed[at] : params[index]));
    const direct = owner.direct?.execute(compiled.query.sql, parameters, db.isTransaction);
    if (direct !== undefined) return (await direct) as Row[];
    const result = await db.executeQuery<Row>({ ...compiled.query, parameters });
    return result.rows;
  }

  #compile(db: Kysely<Database>): { query: CompiledQuery<Row>; order: number[] } {
    const placeholders = Array.from({ length: this.arity }, (_, index) => placeholder(index));
    const query = this.build(db, ...(placeholders as unknown as Params)).compile();
    const order = query.parameters.map((value) => placeholders.indexOf(value as string));
    if (new Set(order.filter((index) => index >= 0)).size !== this.arity) {
      throw new Error(
        `a prepared query must use each of its ${this.arity} parameters as a bound value: ${query.sql}`,
      );
    }
    return { query, order };
  }
}

/** A value no caller passes, so that its position in the compiled parameters is unambiguous. */
function placeholder(index: number): string {
  return `\u0000prepared-query-parameter-${index}\u0000`;
}

/**
 * One {@link PreparedQuery} per number of items (1 to `maxItems`), each made and compiled on first
 * use: for statements whose SQL grows with a list (a multi-row insert, an `in (…)` list), so that
 * a list of any length runs as prepared statements of at most `maxItems` items each.
 */
export class PreparedQueriesBySize<Row> {
  readonly #bySize = new Map<number, PreparedQuery<readonly unknown[], Row>>();

  constructor(
    /** The longest list one statement takes; longer lists go in chunks of this size. */
    readonly maxItems: number,
    private readonly make: (items: number) => PreparedQuery<readonly unknown[], Row>,
  ) {}

  /** The prepared query for `items` items (1 to `maxItems`). */
  forSize(items: number): PreparedQuery<readonly unknown[], Row> {
    if (!Number.isInteger(items) || items < 1 || items > this.maxItems) {
      throw new RangeError(`a prepared list takes 1 to ${this.maxItems} items, not ${items}`);
    }
    let query = this.#bySize.get(items);
    if (query === undefined) {
      query = this.make(items);
      this.#bySize.set(items, query);
    }
    return query;
  }

  /**
   * Runs `list` in chunks of at most `maxItems`: `paramsOf(chunk)` gives each chunk's parameters
   * in the order the query of its size expects. Rows of all chunks, in order.
   */
  async executeChunked<Item>(
    owner: PreparedOwner,
    db: Kysely<Database>,
    list: readonly Item[],
    paramsOf: (chunk: readonly Item[]) => readonly unknown[],
  ): Promise<Row[]> {
    const rows: Row[] = [];
    for (let start = 0; start < list.length; start += this.maxItems) {
      const chunk = list.slice(start, start + this.maxItems);
      rows.push(...(await this.forSize(chunk.length).execute(owner, db, ...paramsOf(chunk))));
    }
    return rows;
  }
}
