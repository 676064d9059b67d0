import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { columnTypesFor } from "./column-types.js";
import type { DatabaseEngine } from "./database-engine.js";
import { isSqliteConflict } from "./database-errors.js";
import { registerDirectStatements } from "./direct-statements.js";
import { DurableSqliteDialect, type StatementLog } from "./durable-sqlite-dialect.js";
import { queryCountingConfig } from "./query-counter.js";
import type { Database } from "./schema.js";
import { ThreadedSqliteDialect } from "./threaded-sqlite-dialect.js";
import { WalSync } from "./wal-sync.js";

/** Everything SQLite-specific lives here, so PostgreSQL can come in as a sibling file. */
export type SqliteDatabaseOptions = {
  /** File name of the database, or ":memory:" for tests. */
  filename: string;
  /**
   * How long a statement waits for another process's lock before failing.
   * @default 5000 (milliseconds)
   */
  busyTimeoutMs?: number;
  /**
   * A database file's commits on a writer thread (see below), or on the main thread's one
   * connection like an in-memory database.
   * @default false
   */
  writerThread?: boolean;
};

/**
 * Opens (creating if needed) a SQLite database tuned for durability: WAL journal, every
 * acknowledged commit on disk (it survives `kill -9` and power loss), foreign keys on.
 *
 * By default everything runs on one connection on the main thread, with `synchronous = NORMAL`
 * and the WAL's fsync run on libuv's thread pool before a commit's caller resumes
 * (`durable-sqlite-dialect.ts`, `wal-sync.ts`): the event loop serves other requests during the
 * fsync, and commits made meanwhile share the next one. With `writerThread: true` a
 * database file gets a writer thread that owns the write connection (every transaction and
 * every write, with the commit's fsync, off the event loop) and a read connection on the main
 * thread for reads outside a transaction (`threaded-sqlite-dialect.ts`); on two cores with the
 * load on one of them that was measured slower (README, "Performance"), so it is opt-in. An
 * in-memory database (":memory:", tests) exists on one connection only and never gets a thread.
 */
export function openSqliteDatabase(options: SqliteDatabaseOptions): Kysely<Database> {
  const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
  const inMemory = options.filename === ":memory:" || options.filename === "";
  if (inMemory) {
    const sqlite = new BetterSqlite3(options.filename);
    sqlite.pragma("foreign_keys = ON");
    const prepare = statementCache(sqlite);
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: { close: () => sqlite.close(), prepare } }),
      ...queryCountingConfig(),
    });
    registerDirectStatements(db, { sqlite, prepareLogged: prepare, prepare, wal: undefined });
    return db;
  }
  if (options.writerThread !== true) {
    const sqlite = new BetterSqlite3(options.filename);
    sqlite.pragma("journal_mode = WAL");
    // COMMIT writes the WAL without waiting for the disk; WalSync's fsync, off the event loop,
    // is awaited before anyone hears of the commit: as durable as FULL (see wal-sync.ts).
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    sqlite.pragma("foreign_keys = ON");
    const cached = statementCache(sqlite);
    const statements: StatementLog = { wrote: false, read: false };
    const prepare = (sql: string) => {
      const statement = cached(sql);
      // BEGIN, COMMIT and ROLLBACK write nothing themselves: a transaction that only read
      // waits for what it saw, not for an fsync of its own.
      if (statement.reader || TRANSACTION_CONTROL.has(sql)) statements.read = true;
      else statements.wrote = true;
      return statement;
    };
    const wal = new WalSync(options.filename);
    const dialect = new DurableSqliteDialect(
      { database: { close: () => sqlite.close(), prepare } },
      sqlite,
      statements,
      wal,
    );
    const db = new Kysely<Database>({ dialect, ...queryCountingConfig() });
    // Hot prepared queries skip Kysely's executor (direct-statements.ts says when that is safe).
    registerDirectStatements(db, { sqlite, prepareLogged: prepare, prepare: cached, wal });
    return db;
  }
  let prepareReader: ((sql: string) => BetterSqlite3.Statement) | undefined;
  const dialect = new ThreadedSqliteDialect({
    filename: options.filename,
    busyTimeoutMs,
    openReader: () => {
      const reader = new BetterSqlite3(options.filename);
      reader.pragma(`busy_timeout = ${busyTimeoutMs}`);
      reader.pragma("query_only = ON"); // it only ever reads; this makes sure
      prepareReader = statementCache(reader);
      return reader;
    },
    prepareReader: (sql) => {
      if (prepareReader === undefined) throw new Error("the SQLite read connection is not open");
      return prepareReader(sql);
    },
  });
  return new Kysely<Database>({ dialect, ...queryCountingConfig() });
}

/**
 * SQLite's behaviours. One connection per process runs one transaction at a time, so an exclusive
 * lock needs no statement; a second process on the same file that races us sees its stale
 * snapshot refused (`SQLITE_BUSY_SNAPSHOT`) and runs its transaction again.
 */
export const SQLITE_ENGINE: DatabaseEngine = {
  kind: "sqlite",
  rowLocks: false,
  columnTypes: columnTypesFor("sqlite"),
  schema: undefined,
  isTransientConflict: isSqliteConflict,
  lockExclusive: async () => {},
};

/** The statements Kysely's SQLite driver runs to begin and end a transaction. */
const TRANSACTION_CONTROL = new Set(["begin", "commit", "rollback"]);

/** Most distinct SQL texts kept prepared; the app issues a few dozen shapes. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs more than running a small indexed query, so
 * statements are kept by SQL text (an LRU). Safe because a connection runs one statement at a
 * time and Kysely never streams here.
 */
function statementCache(sqlite: BetterSqlite3.Database): (sql: string) => BetterSqlite3.Statement {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = sqlite.prepare(sql);
      if (statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
    } else {
      statements.delete(sql);
    }
    statements.set(sql, statement);
    return statement;
  };
}
