import type { Kysely } from "kysely";
import type { ColumnTypes } from "./column-types.js";
import type { Database } from "./schema.js";

/**
 * What the rest of the server may know about the engine under Kysely. Stores and routes use the
 * same queries on both; only these few behaviours differ, and they are decided in `src/db/`.
 */
export type DatabaseEngine = {
  readonly kind: "sqlite" | "postgres";
  /** `SELECT … FOR UPDATE` exists (PostgreSQL); SQLite locks the whole file per write instead. */
  readonly rowLocks: boolean;
  /** How migrations type their columns. */
  readonly columnTypes: ColumnTypes;
  /** The PostgreSQL schema holding the vault's tables (and Kysely's migration tables). */
  readonly schema: string | undefined;
  /** Whether a failed transaction lost a race with a concurrent one and may simply run again. */
  isTransientConflict(error: unknown): boolean;
  /**
   * Inside a transaction: waits until no other transaction (of any instance) holds the lock
   * `name`, and holds it until this one ends. Serializes rare work such as the first start.
   */
  lockExclusive(transaction: Kysely<Database>, name: string): Promise<void>;
};

/** An open database and its engine. `db.destroy()` closes it. */
export type VaultDatabase = { readonly db: Kysely<Database>; readonly engine: DatabaseEngine };
