import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The PostgreSQL database the kit makes its schemas in (`ASS_TEST_POSTGRES_URL`, else the
 * loopback server's `test` database with trust auth, as the server's own suite uses).
 */
export const TEST_POSTGRES_URL =
  process.env.ASS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A PostgreSQL schema of one's own: its URL for `databaseUrl`, and `drop()`. */
export interface PostgresSchema {
  /** {@link TEST_POSTGRES_URL} with `?schema=<name>`. */
  readonly url: string;
  readonly name: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/**
 * Creates a new, empty schema named `ass_t_<base-36 seconds>_<random>`: the prefix and time the
 * server suite's global setup uses to find leftovers of a run that died.
 */
export async function createPostgresSchema(): Promise<PostgresSchema> {
  const name = `ass_t_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(5).toString("hex")}`;
  await withClient((client) => client.query(`create schema ${pg.escapeIdentifier(name)}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set("schema", name);
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withClient((client) =>
        client.query(`drop schema if exists ${pg.escapeIdentifier(name)} cascade`),
      );
    },
  };
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
