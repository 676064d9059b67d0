import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import { openSqliteDatabase } from "./sqlite-database.js";

/**
 * Where the vault keeps its data. Only SQLite for now; PostgreSQL (`{ kind: "postgres", url }`)
 * is a later issue and slots in here without touching stores or routes.
 */
export type DatabaseConfig = {
  kind: "sqlite";
  /** The database file, or ":memory:" (tests). */
  filename: string;
  /**
   * How long to wait for a lock held by another process.
   * @default 5000 (milliseconds)
   */
  busyTimeoutMs?: number;
};

/** Opens the configured database; the caller owns it and calls `destroy()` when done. */
export function createDatabase(config: DatabaseConfig): Kysely<Database> {
  return openSqliteDatabase({
    filename: config.filename,
    ...(config.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: config.busyTimeoutMs }),
  });
}
