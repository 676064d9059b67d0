// Where the PostgreSQL tests run; shared by the per-file helpers and the global setup.

/** The PostgreSQL database tests create their schemas in (trust auth on loopback). */
export const TEST_POSTGRES_URL =
  process.env.ASS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Prefix of every schema a test creates; `<prefix><pid>_<random>`, so leftovers can be found. */
export const TEST_SCHEMA_PREFIX = "ass_t_";
