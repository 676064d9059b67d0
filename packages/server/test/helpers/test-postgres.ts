// Where the PostgreSQL tests run; shared by the per-file helpers and the global setup.

/** The PostgreSQL database tests create their schemas in (trust auth on loopback). */
export const TEST_POSTGRES_URL =
  process.env.ASS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Prefix of every schema a test creates: `<prefix><creation time, base-36 seconds>_<random>`, so
 * that leftovers of a run that died can be found and told from those of a run still going.
 */
export const TEST_SCHEMA_PREFIX = "ass_t_";

/** Schemas older than this are leftovers (no test run takes so long), in seconds. */
export const STALE_SCHEMA_SECONDS = 2 * 60 * 60;

/** A new schema name (see {@link TEST_SCHEMA_PREFIX}). */
export function testSchemaName(random: string): string {
  return `${TEST_SCHEMA_PREFIX}${Math.floor(Date.now() / 1000).toString(36)}_${random}`;
}

/** When a schema named by {@link testSchemaName} was made, in seconds since the epoch. */
export function testSchemaCreatedAt(name: string): number {
  return Number.parseInt(name.slice(TEST_SCHEMA_PREFIX.length).split("_")[0] ?? "", 36);
}
