import { CompiledQuery, Kysely, sql } from "kysely";
import pg from "pg";
import { columnTypesFor } from "./column-types.js";
import type { DatabaseEngine, VaultDatabase } from "./database-engine.js";
import { isPostgresConflict } from "./database-errors.js";
import { queryCountingConfig } from "./query-counter.js";
import type { Database } from "./schema.js";
import { SchemaBoundPostgresDialect } from "./schema-introspector.js";

/** Everything PostgreSQL-specific lives here and in `column-types.ts`. */
export type PostgresDatabaseOptions = {
  /**
   * `postgres://user:password@host:5432/database` (or `postgresql://`). A `schema` query
   * parameter (as Prisma spells it) names the schema when `schema` is not given. Never logged.
   */
  url: string;
  /**
   * The schema that holds the vault's tables, created if missing: several vaults can share one
   * database, one schema each.
   * @default "public"
   */
  schema?: string;
  /**
   * Most connections this instance opens (plus one for approval notifications).
   * @default 10
   */
  poolSize?: number;
  /** Told about errors of idle connections (a restarted PostgreSQL); never given the URL. */
  onError?: (error: Error) => void;
};

/** What a dedicated `pg.Client` needs to reach the same database (approval notifications). */
export type PostgresConnection = {
  /** A `pg.Client` / `pg.Pool` configuration (connection string, timeouts, type parsers). */
  readonly clientConfig: pg.ClientConfig;
  /** The schema in use. */
  readonly schema: string;
};

/** Thrown for a database URL or schema that cannot work; the message never repeats the URL. */
export class DatabaseConfigError extends Error {
  override readonly name = "DatabaseConfigError";
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** How long opening a connection may take before the request fails, in milliseconds. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Type parsers of this pool only (the global `pg.types` stay untouched): `timestamptz` comes back
 * as the ISO-8601 text the stores write (`2026-01-15T10:30:00.000Z`), as SQLite gives it back,
 * and `bigint` (what `count(*)` returns) as a number instead of a string.
 */
function vaultTypeParsers(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  const parseTimestamp = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, "text");
  types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, "text", (text: string) =>
    (parseTimestamp(text) as Date).toISOString(),
  );
  types.setTypeParser(pg.types.builtins.INT8, "text", (text: string) => Number(text));
  return types;
}

/** Splits `?schema=` off the URL and checks both; throws {@link DatabaseConfigError}. */
export function postgresConnection(url: string, schema?: string): PostgresConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseConfigError(
      "The database URL is malformed; expected postgres://user:password@host:5432/database",
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new DatabaseConfigError(
      `The database URL must start with postgres:// or postgresql://, not ${parsed.protocol}//`,
    );
  }
  const fromUrl = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  const chosen = schema ?? fromUrl ?? "public";
  if (!SCHEMA_NAME.test(chosen)) {
    throw new DatabaseConfigError(
      "The database schema must be 1-63 letters, digits or underscores, not starting with a digit",
    );
  }
  return {
    schema: chosen,
    clientConfig: {
      connectionString: parsed.toString(),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: "agent-secret-store",
      types: vaultTypeParsers(),
    },
  };
}

function postgresEngine(schema: string): DatabaseEngine {
  return {
    kind: "postgres",
    rowLocks: true,
    columnTypes: columnTypesFor("postgres"),
    schema,
    isTransientConflict: isPostgresConflict,
    async lockExclusive(transaction, name) {
      // A transaction-level advisory lock: released by COMMIT or ROLLBACK, also when the
      // instance holding it dies (its connection ends).
      await sql`select pg_advisory_xact_lock(hashtext(${`${schema}:${name}`}))`.execute(
        transaction,
      );
    },
  };
}

/**
 * Opens a pool on PostgreSQL (READ COMMITTED, the default). Every connection works in the chosen
 * schema (`search_path`). Timestamps are `timestamptz`, read back as ISO-8601 text.
 */
export function openPostgresDatabase(
  options: PostgresDatabaseOptions,
): VaultDatabase & { connection: PostgresConnection } {
  const connection = postgresConnection(options.url, options.schema);
  const pool = new pg.Pool({ ...connection.clientConfig, max: options.poolSize ?? 10 });
  // Without a listener, an idle connection's error (PostgreSQL restarted) would end the process.
  pool.on("error", (error) => options.onError?.(error));
  // The pool listens only while a connection is idle: one cut while checked out (its query fails
  // and is answered) would otherwise emit an unheard "error" and end the process too.
  pool.on("connect", (client) => {
    client.on("error", (error) => options.onError?.(error));
  });
  const searchPath = CompiledQuery.raw(
    `set search_path to ${pg.escapeIdentifier(connection.schema)}`,
  );
  const db = new Kysely<Database>({
    dialect: new SchemaBoundPostgresDialect(
      {
        pool,
        onCreateConnection: async (created) => {
          await created.executeQuery(searchPath);
        },
      },
      connection.schema,
    ),
    ...queryCountingConfig(),
  });
  return { db, engine: postgresEngine(connection.schema), connection };
}
