import type { KyselyConfig, LogEvent } from "kysely";

// Counts the statements this process sends to its database through Kysely (BEGIN and COMMIT
// included, failed ones too), for the benchmark's "queries per request". Off unless turned on
// before the database is opened, so that a server pays nothing for it: Kysely only wraps its
// connections when a `log` is configured. One count per process (the benchmark runs one vault
// per process); statements on the PostgreSQL LISTEN/NOTIFY client are not Kysely's and not counted.

let counting = false;
let statements = 0;

/** Turns counting on for every database opened from now on in this process. */
export function enableQueryCounting(): void {
  counting = true;
}

/**
 * Turns counting off again for databases opened from now on (tests share one process: a test
 * that turned counting on turns it off when it ends).
 */
export function disableQueryCounting(): void {
  counting = false;
}

/** Statements executed so far by databases opened after {@link enableQueryCounting}. */
export function queriesExecuted(): number {
  return statements;
}

/**
 * Counts `count` statements run outside a Kysely instance configured with
 * {@link queryCountingConfig} (a statement prepared once and run directly, a worker thread's
 * batch reported back to this thread), so that queries per request stay true. Free when off.
 * @param count statements executed
 * @default 1
 */
export function countStatements(count = 1): void {
  if (counting) statements += count;
}

function countStatement(_event: LogEvent): void {
  statements += 1;
}

/** The `log` part of a Kysely configuration: the counter when counting is on, else nothing. */
export function queryCountingConfig(): Pick<KyselyConfig, "log"> {
  return counting ? { log: countStatement } : {};
}
