/**
 * Recognising the database errors that mean "a concurrent transaction got there first", on both
 * engines. better-sqlite3 reports string codes (`SQLITE_CONSTRAINT_UNIQUE`), pg the SQLSTATE
 * (`23505`).
 */

/** The SQLSTATE codes of PostgreSQL conflicts that running the transaction again resolves. */
const POSTGRES_CONFLICTS = new Set([
  "23505", // unique_violation: a racing insert of the same key committed first
  "23503", // foreign_key_violation: the parent row was deleted by a racing transaction
  "40001", // serialization_failure
  "40P01", // deadlock_detected: PostgreSQL aborted this side of the cycle
]);

const SQLITE_UNIQUE = new Set(["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** Whether `error` is a unique (or primary key) violation, on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (code === "23505" || SQLITE_UNIQUE.has(code));
}

/**
 * Whether a PostgreSQL transaction failed only because another one changed the same rows at the
 * same time (READ COMMITTED lets both read first): a retry reads the winner's result and then
 * does the right thing (a new version number, the stored idempotent response, a 412 or 409).
 */
export function isPostgresConflict(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && POSTGRES_CONFLICTS.has(code);
}

/**
 * Whether a SQLite transaction lost a race with another process on the same file: its read
 * snapshot went stale before it could write (WAL's `SQLITE_BUSY_SNAPSHOT`). Waiting does not
 * help; starting again does.
 */
export function isSqliteConflict(error: unknown): boolean {
  return codeOf(error) === "SQLITE_BUSY_SNAPSHOT";
}
