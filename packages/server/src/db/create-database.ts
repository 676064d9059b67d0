import type { VaultDatabase } from "./database-engine.js";
import { openPostgresDatabase, type PostgresConnection } from "./postgres-database.js";
import { openSqliteDatabase, SQLITE_ENGINE } from "./sqlite-database.js";

/** The embedded default: one SQLite file (WAL) for one instance. */
export type SqliteDatabaseConfig = {
  kind: "sqlite";
  /** The database file, or ":memory:" (tests). */
  filename: string;
  /**
   * How long to wait for a lock held by another process.
   * @default 5000 (milliseconds)
   */
  busyTimeoutMs?: number;
  /**
   * Commit on a writer thread (fsync off the event loop, reads on their own connection) or on the
   * main thread's one connection. Which is faster depends on a spare core: see the server
   * README's "Performance".
   * @default false
   */
  writerThread?: boolean;
};

/** PostgreSQL, for several stateless instances behind a load balancer. */
export type PostgresDatabaseConfig = {
  kind: "postgres";
  /**
   * `postgres://user:password@host:5432/database`; a `?schema=name` parameter picks the schema.
   * Never logged.
   */
  url: string;
  /**
   * The schema holding the vault's tables (created if missing); overrides `?schema=`.
   * @default "public"
   */
  schema?: string;
  /**
   * Most pooled connections per instance.
   * @default 10
   */
  poolSize?: number;
};

/**
 * Where the vault keeps its data: `{ kind: "sqlite", filename }` (the default of `startServer`)
 * or `{ kind: "postgres", url }`. The same migrations and queries run on both.
 */
export type DatabaseConfig = SqliteDatabaseConfig | PostgresDatabaseConfig;

/** An open database; `postgres` says how to reach it with a dedicated client (null on SQLite). */
export type OpenedDatabase = VaultDatabase & { readonly postgres: PostgresConnection | null };

/**
 * Opens the configured database; the caller owns it and calls `db.destroy()` when done.
 * `onError` hears about failures of idle PostgreSQL connections (they are replaced on demand).
 */
export function createDatabase(
  config: DatabaseConfig,
  onError?: (error: Error) => void,
): OpenedDatabase {
  if (config.kind === "postgres") {
    const opened = openPostgresDatabase({
      url: config.url,
      ...(config.schema === undefined ? {} : { schema: config.schema }),
      ...(config.poolSize === undefined ? {} : { poolSize: config.poolSize }),
      ...(onError === undefined ? {} : { onError }),
    });
    return { db: opened.db, engine: opened.engine, postgres: opened.connection };
  }
  const db = openSqliteDatabase({
    filename: config.filename,
    ...(config.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: config.busyTimeoutMs }),
    ...(config.writerThread === undefined ? {} : { writerThread: config.writerThread }),
  });
  return { db, engine: SQLITE_ENGINE, postgres: null };
}
