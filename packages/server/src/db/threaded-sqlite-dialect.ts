import type BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { SqliteWriter } from "./sqlite-writer.js";

/** What the dialect needs: the writer's file, and the main thread's read connection. */
export type ThreadedSqliteOptions = {
  filename: string;
  busyTimeoutMs: number;
  /** Opens the read connection (after the writer has put the file in WAL mode). */
  openReader: () => BetterSqlite3.Database;
  /** Prepares on the read connection, reusing statements by SQL text. */
  prepareReader: (sql: string) => BetterSqlite3.Statement;
};

/**
 * SQLite with its writes off the event loop. A writer thread owns the one write connection:
 * every transaction (BEGIN … COMMIT, each statement a round trip) and every write outside one run
 * there, one at a time, so the durable commit's fsync no longer stops the server. A read outside a
 * transaction runs at once on the main thread's own connection, which WAL lets see the last
 * committed state while the writer works (as a read outside a transaction sees it on PostgreSQL).
 * Reads inside a transaction go to the writer: they see the transaction's own writes.
 */
export class ThreadedSqliteDialect implements Dialect {
  constructor(private readonly options: ThreadedSqliteOptions) {}

  createDriver(): Driver {
    return new ThreadedSqliteDriver(this.options);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own dialects take any database type
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** First come, first served: who may use the write connection now. */
class WriteTurns {
  #busy = false;
  readonly #queue: (() => void)[] = [];

  async take(): Promise<void> {
    if (!this.#busy) {
      this.#busy = true;
      return;
    }
    await new Promise<void>((resolve) => this.#queue.push(resolve));
  }

  give(): void {
    const next = this.#queue.shift();
    if (next === undefined) this.#busy = false;
    else next();
  }
}

class ThreadedSqliteDriver implements Driver {
  #writer: SqliteWriter | undefined;
  #reader: BetterSqlite3.Database | undefined;
  readonly #turns = new WriteTurns();
  /** Connections not in use, kept for the next request (Kysely wraps each one once). */
  readonly #idle: ThreadedConnection[] = [];

  constructor(private readonly options: ThreadedSqliteOptions) {}

  async init(): Promise<void> {
    this.#writer = await SqliteWriter.start(this.options.filename, this.options.busyTimeoutMs);
    this.#reader = this.options.openReader();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#writer === undefined) throw new Error("the SQLite database is not open");
    return (
      this.#idle.pop() ??
      new ThreadedConnection(this.#writer, this.#turns, this.options.prepareReader)
    );
  }

  // BEGIN, COMMIT and ROLLBACK go through the connection's executeQuery, as in Kysely's own
  // SQLite driver, so that the query counter (which wraps it) sees them.
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const threaded = connection as ThreadedConnection;
    await threaded.takeWriter();
    try {
      await connection.executeQuery(CompiledQuery.raw("begin"));
    } catch (error) {
      threaded.release();
      throw error;
    }
  }

  /** A failed COMMIT keeps the write connection: Kysely sends ROLLBACK next. */
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
    (connection as ThreadedConnection).release();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw("rollback"));
    } finally {
      (connection as ThreadedConnection).release();
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const threaded = connection as ThreadedConnection;
    threaded.release();
    this.#idle.push(threaded);
  }

  async destroy(): Promise<void> {
    this.#reader?.close();
    await this.#writer?.close();
  }
}

/**
 * One use of the database by Kysely: a single statement, or a transaction. Cheap to make; holds
 * the write connection from BEGIN to COMMIT or ROLLBACK.
 */
class ThreadedConnection implements DatabaseConnection {
  #holdsWriter = false;
  #beginPending = false;

  constructor(
    private readonly writer: SqliteWriter,
    private readonly turns: WriteTurns,
    private readonly prepareReader: (sql: string) => BetterSqlite3.Statement,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiled;
    if (this.#holdsWriter) return (await this.#inTransaction(sql, parameters)) as QueryResult<R>;
    const read = this.#readOnly(sql);
    if (read !== undefined) return { rows: read.all(parameters) as R[] };
    await this.turns.take();
    try {
      return (await this.writer.execute(sql, parameters)) as QueryResult<R>;
    } finally {
      this.turns.give();
    }
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered on this engine
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming queries are not supported on SQLite here");
  }

  /** Waits for the write connection and holds it (from BEGIN until COMMIT or ROLLBACK). */
  async takeWriter(): Promise<void> {
    await this.turns.take();
    this.#holdsWriter = true;
  }

  /**
   * A statement of the open transaction. BEGIN is held back and sent with the first statement
   * (a round trip saved); a transaction that ran none commits or rolls back nothing.
   */
  async #inTransaction(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> {
    if (sql === "begin") {
      this.#beginPending = true;
      return { rows: [] };
    }
    if (this.#beginPending) {
      this.#beginPending = false;
      if (sql === "commit" || sql === "rollback") return { rows: [] };
      return this.writer.execute(sql, parameters, true);
    }
    return this.writer.execute(sql, parameters);
  }

  /** Lets the next transaction or write have the write connection. */
  release(): void {
    if (!this.#holdsWriter) return;
    this.#holdsWriter = false;
    this.#beginPending = false;
    this.turns.give();
  }

  /** The statement prepared on the read connection when it only reads; else undefined. */
  #readOnly(sql: string): BetterSqlite3.Statement | undefined {
    try {
      const statement = this.prepareReader(sql);
      return statement.readonly && statement.reader ? statement : undefined;
    } catch {
      // Not preparable here (a table the writer has just made, say): the writer decides.
      return undefined;
    }
  }
}
