import BetterSqlite3 from "better-sqlite3";
import { Kysely, type SqliteDatabase, SqliteDialect } from "kysely";
import { columnTypesFor } from "./column-types.js";
import type { DatabaseEngine } from "./database-engine.js";
import { isSqliteConflict } from "./database-errors.js";
import { queryCountingConfig } from "./query-counter.js";
import type { Database } from "./schema.js";

/** Everything SQLite-specific lives here, so PostgreSQL can come in as a sibling file. */
export type SqliteDatabaseOptions = {
  /** File name of the database, or ":memory:" for tests. */
  filename: string;
  /**
   * How long a statement waits for another process's lock before failing.
   * @default 5000 (milliseconds)
   */
  busyTimeoutMs?: number;
};

/**
 * Opens (creating if needed) a SQLite database tuned for durability: WAL journal,
 * `synchronous = FULL` (an acknowledged commit survives `kill -9` and power loss),
 * foreign keys on.
 */
export function openSqliteDatabase(options: SqliteDatabaseOptions): Kysely<Database> {
  const sqlite = new BetterSqlite3(options.filename);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  sqlite.pragma("foreign_keys = ON");
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    ...queryCountingConfig(),
  });
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

/** Most distinct SQL texts kept prepared; the app issues a few dozen shapes. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs more than running a small indexed query, so
 * statements are kept by SQL text (an LRU). Safe because the one connection runs one statement
 * at a time and Kysely never streams here.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
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
    },
  };
}
