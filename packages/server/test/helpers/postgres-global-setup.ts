// Global setup of the "server-postgres" project: fails early, with a clear message, when
// PostgreSQL is not there, and drops schemas left behind by test runs that died. A schema's name
// carries its creation time; only old ones go, as other runs may be going on at the same time
// (process ids say nothing about processes of other machines or containers).
import pg from "pg";
import {
  STALE_SCHEMA_SECONDS,
  TEST_POSTGRES_URL,
  TEST_SCHEMA_PREFIX,
  testSchemaCreatedAt,
} from "./test-postgres.js";

export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The server-postgres tests need PostgreSQL at ${new URL(TEST_POSTGRES_URL).host} (database "test"; .ci/run starts it): ${(error as Error).message}`,
    );
  }
  try {
    const schemas = await client.query<{ name: string }>(
      "select nspname as name from pg_namespace where starts_with(nspname, $1)",
      [TEST_SCHEMA_PREFIX],
    );
    const staleBefore = Date.now() / 1000 - STALE_SCHEMA_SECONDS;
    for (const { name } of schemas.rows) {
      const createdAt = testSchemaCreatedAt(name);
      if (Number.isFinite(createdAt) && createdAt < staleBefore) {
        await client.query(`drop schema if exists ${pg.escapeIdentifier(name)} cascade`);
      }
    }
  } finally {
    await client.end();
  }
}
