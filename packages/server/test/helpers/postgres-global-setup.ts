// Global setup of the "server-postgres" project: fails early, with a clear message, when
// PostgreSQL is not there, and drops schemas left behind by test processes that died (a
// schema's name carries the pid of the process that made it).
import pg from "pg";
import { TEST_POSTGRES_URL, TEST_SCHEMA_PREFIX } from "./test-postgres.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

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
    for (const { name } of schemas.rows) {
      const pid = Number(name.slice(TEST_SCHEMA_PREFIX.length).split("_")[0]);
      if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
        await client.query(`drop schema if exists ${pg.escapeIdentifier(name)} cascade`);
      }
    }
  } finally {
    await client.end();
  }
}
