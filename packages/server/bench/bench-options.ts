// What one `pnpm bench` run does: flags win over environment variables, which win over defaults.
import { parseArgs } from "node:util";

/** How a benchmark run measures. */
export type BenchOptions = {
  /** Concurrent connections of the load generator per row (split evenly between instances). */
  connections: number;
  /** Load sent before each row's measurement and not counted, in seconds. */
  warmupSeconds: number;
  /** Measurement per row, in seconds (ignored when `requestsPerRow` is set). */
  durationSeconds: number;
  /** A fixed number of requests per row instead of a duration: the smoke run (figures meaningless). */
  requestsPerRow: number | null;
  /** Where the PostgreSQL rows run (a fresh schema, dropped afterwards); null skips them. */
  databaseUrl: string | null;
  /** Print the report as JSON instead of markdown. */
  json: boolean;
};

export const USAGE = `Usage: pnpm bench [options]
  --duration <s>      seconds measured per row (BENCH_DURATION, default 10)
  --warmup <s>        seconds of unmeasured load before each row (BENCH_WARMUP, default 3)
  --connections <n>   load generator connections (BENCH_CONNECTIONS, default 20)
  --database-url <u>  PostgreSQL for its rows (BENCH_DATABASE_URL,
                      default postgres://postgres@127.0.0.1:5432/test)
  --no-postgres       skip the PostgreSQL rows (BENCH_POSTGRES=0)
  --smoke             check the harness: 50 requests a row, no warm-up, figures meaningless
  --json              print the report as JSON
  --help`;

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a number ≥ 0, not "${text}"`);
  }
  return value;
}

/** Reads flags (`argv`) and `BENCH_*` variables (`env`); throws a RangeError/TypeError on bad input. */
export function benchOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      "database-url": { type: "string" },
      "no-postgres": { type: "boolean" },
      smoke: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const smoke = values.smoke === true;
  const connections = positiveNumber(
    "--connections",
    values.connections ?? env.BENCH_CONNECTIONS,
    smoke ? 4 : 20,
  );
  if (!Number.isInteger(connections) || connections < 1) {
    throw new RangeError(`--connections must be a whole number ≥ 1, not ${connections}`);
  }
  const skipPostgres = values["no-postgres"] === true || env.BENCH_POSTGRES === "0";
  return {
    connections,
    warmupSeconds: positiveNumber("--warmup", values.warmup ?? env.BENCH_WARMUP, smoke ? 0 : 3),
    durationSeconds: positiveNumber("--duration", values.duration ?? env.BENCH_DURATION, 10),
    requestsPerRow: smoke ? 50 : null,
    databaseUrl: skipPostgres
      ? null
      : (values["database-url"] ?? env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL),
    json: values.json === true,
  };
}
