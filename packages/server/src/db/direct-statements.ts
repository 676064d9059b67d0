import type BetterSqlite3 from "better-sqlite3";
import type { Kysely } from "kysely";
import { countStatements } from "./query-counter.js";
import type { Database } from "./schema.js";
import type { WalSync } from "./wal-sync.js";

/**
 * Runs a prepared query's SQL on SQLite's main-thread connection itself, instead of through
 * Kysely's executor, whose connection mutex and promise layers cost more than a small indexed
 * statement (measured: ~11 µs per statement through Kysely, ~3 µs direct). It does only what
 * Kysely would do:
 *
 * - inside a transaction, which holds the one connection until it ends, the statement runs at
 *   once and is logged like Kysely's (the commit's fsync then covers it);
 * - outside one, it runs only while no transaction is open on the connection: a single
 *   statement runs whole before any other code, so nothing can interleave. A write then waits
 *   for an fsync covering it, a read for every commit it could have seen to be on disk, as the
 *   durable dialect does on release. While a transaction is open it answers `undefined`, and
 *   the caller goes through Kysely, which waits for the connection.
 */
export type DirectStatements = {
  execute(
    sql: string,
    parameters: readonly unknown[],
    inTransaction: boolean,
  ): Promise<unknown[]> | unknown[] | undefined;
};

/** What a SQLite database's direct statements are made of (sqlite-database.ts). */
export type DirectStatementsParts = {
  sqlite: BetterSqlite3.Database;
  /** The connection's statement cache, logging what it prepares as Kysely's statements are. */
  prepareLogged: (sql: string) => BetterSqlite3.Statement;
  /** The same cache without the log (outside a transaction, the wait is made here). */
  prepare: (sql: string) => BetterSqlite3.Statement;
  /** Makes commits durable; absent for an in-memory database. */
  wal: WalSync | undefined;
};

const registered = new WeakMap<Kysely<Database>, DirectStatements>();

/** Makes `db`'s prepared queries run through `parts` (called once, where `db` is opened). */
export function registerDirectStatements(db: Kysely<Database>, parts: DirectStatementsParts): void {
  registered.set(db, directStatements(parts));
}

/** The direct statements of a database opened with them, else undefined (PostgreSQL, threads). */
export function directStatementsOf(db: Kysely<Database>): DirectStatements | undefined {
  return registered.get(db);
}

function directStatements(parts: DirectStatementsParts): DirectStatements {
  const { sqlite, prepareLogged, prepare, wal } = parts;
  return {
    execute(sql, parameters, inTransaction) {
      if (inTransaction) {
        countStatements();
        return run(prepareLogged(sql), parameters);
      }
      if (sqlite.inTransaction) return undefined;
      countStatements();
      const statement = prepare(sql);
      const rows = run(statement, parameters);
      if (wal === undefined) return rows;
      if (!statement.reader) return wal.committed().then(() => rows);
      const durable = wal.untilDurable();
      return durable === undefined ? rows : durable.then(() => rows);
    },
  };
}

/** What Kysely's SQLite connection answers: a reader's rows, else none. */
function run(statement: BetterSqlite3.Statement, parameters: readonly unknown[]): unknown[] {
  if (statement.reader) return statement.all(parameters);
  statement.run(parameters);
  return [];
}
