// The database each test server runs on. The "server" vitest project uses SQLite; the
// "server-postgres" project (root vitest.config.ts) sets ASS_TEST_DATABASE=postgres, and then
// every test server gets a fresh PostgreSQL schema of its own, dropped after the test file.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll } from "vitest";
import type { DatabaseConfig } from "../../src/db/create-database.js";
import { TEST_POSTGRES_URL, testSchemaName } from "./test-postgres.js";

export { TEST_POSTGRES_URL } from "./test-postgres.js";

/** The engine under test: `ASS_TEST_DATABASE=postgres`, else SQLite. */
export const TEST_ENGINE: "sqlite" | "postgres" =
  process.env.ASS_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

const createdSchemas: string[] = [];
const createdFolders: string[] = [];
let admin: pg.Client | undefined;

async function adminClient(): Promise<pg.Client> {
  if (admin === undefined) {
    admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
  }
  return admin;
}

// Registered once per test file (each file imports this module afresh): drops what it made.
afterAll(async () => {
  const client = admin;
  admin = undefined;
  if (client !== undefined) {
    for (const schema of createdSchemas.splice(0)) {
      await client.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
    }
    await client.end();
  }
  for (const folder of createdFolders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A new, empty PostgreSQL schema (dropped after the test file); its name and URL. */
export async function createTestSchema(): Promise<{ schema: string; url: string }> {
  const schema = testSchemaName(randomBytes(5).toString("hex"));
  const client = await adminClient();
  await client.query(`create schema ${pg.escapeIdentifier(schema)}`);
  createdSchemas.push(schema);
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set("schema", schema);
  return { schema, url: url.toString() };
}

/**
 * A fresh, empty database for one test server: SQLite in memory (or in a temporary file with
 * `shared: true`, for a second connection to tamper with), or a new PostgreSQL schema.
 */
export async function freshDatabaseConfig(
  options: { shared?: boolean } = {},
): Promise<DatabaseConfig> {
  if (TEST_ENGINE === "postgres") {
    const { url } = await createTestSchema();
    // Few connections per test server: many run side by side against one PostgreSQL.
    return { kind: "postgres", url, poolSize: 4 };
  }
  if (options.shared !== true) return { kind: "sqlite", filename: ":memory:" };
  const folder = await mkdtemp(join(tmpdir(), "ass-db-"));
  createdFolders.push(folder);
  return { kind: "sqlite", filename: join(folder, "vault.db") };
}

/**
 * What `startServer` needs to run on the engine under test: nothing for SQLite (the data folder),
 * or a PostgreSQL URL with a fresh schema and a shared master key in `env`.
 */
export async function startServerDatabase(): Promise<{
  databaseUrl?: string;
  env: Record<string, string>;
}> {
  if (TEST_ENGINE === "sqlite") return { env: {} };
  const { url } = await createTestSchema();
  return { databaseUrl: url, env: { ASS_MASTER_KEY: randomBytes(32).toString("base64") } };
}

/**
 * Every row of every table in the URL's schema, as PostgreSQL's text form of the row, one buffer
 * per table: what a dump of the database would hold (the PostgreSQL side of "nothing readable
 * at rest"; its data files are not ours to read).
 */
export async function dumpPostgresSchema(url: string): Promise<Map<string, Buffer>> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? "public";
  parsed.searchParams.delete("schema");
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = $1",
      [schema],
    );
    const dump = new Map<string, Buffer>();
    for (const { name } of tables.rows) {
      const qualified = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)}`;
      const rows = await client.query<{ row: string }>(`select t::text as row from ${qualified} t`);
      dump.set(name, Buffer.from(rows.rows.map((row) => row.row).join("\n"), "utf8"));
    }
    return dump;
  } finally {
    await client.end();
  }
}
