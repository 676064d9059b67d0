// One row of the table: warm-up, then a measured run of autocannon against one or more
// instances (the connections split evenly between them), with the servers' query counts and CPU
// time read before and after, the machine's CPU too, and every non-2xx answer counted.
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import type { ChildStats } from "./bench-child.js";
import type { BenchOptions } from "./bench-options.js";
import { othersCpuShare, sampleMachineCpu } from "./machine-cpu.js";

/** One HTTP request shape, sent over and over. */
export type RequestShape = {
  method: "GET" | "POST" | "PUT";
  /** Path and query, e.g. `/v1/secrets/bench/read/api-key`. */
  path: string;
  headers?: Record<string, string>;
  /** A JSON body. */
  body?: unknown;
  /** The status every answer must have (checked once before the load, then 2xx are counted). */
  expectedStatus: number;
};

/** A server the load goes to, and how to read its counts. */
export type Target = { url: string; stats(): Promise<ChildStats> };

/** What a row measured. */
export type RowResult = {
  /** Completed requests per second, summed over the targets. */
  requestsPerSecond: number;
  /** Latency percentiles of 2xx answers in milliseconds (the worst target's). */
  p50Ms: number;
  p99Ms: number;
  /** Database statements per completed request, over every target; null for the bare route. */
  queriesPerRequest: number | null;
  /** CPU time of the server processes per completed request, in microseconds. */
  serverCpuMicrosPerRequest: number;
  /**
   * Share of the machine's CPU (0–1) used during the row by processes other than the bench and
   * its servers (PostgreSQL included); null where it cannot be read.
   */
  othersCpuShare: number | null;
  /** Completed requests measured. */
  requests: number;
  /** Answers other than 2xx, by status code. */
  non2xx: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
};

// Group commits (audit batches) may land just after the last answer: let them settle before
// the count is read, so they are charged to the row that caused them.
const SETTLE_MS = 250;

function load(
  target: Target,
  shape: RequestShape,
  connections: number,
  run: { seconds: number } | { amount: number },
): Promise<autocannon.Result> {
  const body = shape.body === undefined ? undefined : JSON.stringify(shape.body);
  return autocannon({
    url: `${target.url}${shape.path}`,
    method: shape.method,
    headers: {
      ...shape.headers,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body }),
    connections,
    ...("amount" in run ? { amount: run.amount } : { duration: run.seconds }),
  });
}

/** Sends the shape once to each target and throws unless the status is the expected one. */
async function probe(targets: Target[], shape: RequestShape, title: string): Promise<void> {
  for (const target of targets) {
    const response = await fetch(`${target.url}${shape.path}`, {
      method: shape.method,
      headers: {
        ...shape.headers,
        ...(shape.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(shape.body === undefined ? {} : { body: JSON.stringify(shape.body) }),
    });
    const text = await response.text();
    if (response.status !== shape.expectedStatus) {
      let code = "";
      try {
        code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? "";
      } catch {}
      throw new Error(
        `${title}: expected ${shape.expectedStatus} from ${shape.method} ${shape.path}, got ${response.status} ${code}; the row would measure errors`,
      );
    }
  }
}

async function totalStats(targets: Target[]): Promise<ChildStats> {
  const all = await Promise.all(targets.map((target) => target.stats()));
  return {
    queries: all.reduce((sum, stats) => sum + stats.queries, 0),
    cpuMicros: all.reduce((sum, stats) => sum + stats.cpuMicros, 0),
  };
}

/** The stats, this process's CPU (the load generator) and the machine's, at one moment. */
async function snapshot(targets: Target[]) {
  const servers = await totalStats(targets);
  const own = process.cpuUsage();
  return {
    servers,
    loadCpuMicros: own.user + own.system,
    machine: sampleMachineCpu(),
    at: performance.now(),
  };
}

/** Measures one row (see the file's comment). */
export async function measureRow(
  title: string,
  targets: Target[],
  shape: RequestShape,
  options: Pick<
    BenchOptions,
    "connections" | "warmupSeconds" | "durationSeconds" | "requestsPerRow"
  >,
  countQueries: boolean,
): Promise<RowResult> {
  await probe(targets, shape, title);
  const perTarget = Math.max(1, Math.floor(options.connections / targets.length));
  if (options.warmupSeconds > 0) {
    await Promise.all(
      targets.map((target) => load(target, shape, perTarget, { seconds: options.warmupSeconds })),
    );
  }
  await sleep(SETTLE_MS);
  const before = await snapshot(targets);
  const run =
    options.requestsPerRow === null
      ? { seconds: options.durationSeconds }
      : { amount: Math.ceil(options.requestsPerRow / targets.length) };
  const results = await Promise.all(targets.map((target) => load(target, shape, perTarget, run)));
  await sleep(SETTLE_MS);
  const after = await snapshot(targets);

  const requests = results.reduce((sum, result) => sum + result.requests.total, 0);
  const serverCpuMicros = after.servers.cpuMicros - before.servers.cpuMicros;
  const ownCpuMicros = serverCpuMicros + after.loadCpuMicros - before.loadCpuMicros;
  const non2xx: Record<string, number> = {};
  for (const result of results) {
    for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
      if (status.startsWith("2")) continue;
      non2xx[status] = (non2xx[status] ?? 0) + (stats.count ?? 0);
    }
  }
  return {
    requestsPerSecond: results.reduce(
      (sum, result) => sum + result.requests.total / Math.max(result.duration, 1e-9),
      0,
    ),
    p50Ms: Math.max(...results.map((result) => result.latency.p50)),
    p99Ms: Math.max(...results.map((result) => result.latency.p99)),
    queriesPerRequest: countQueries
      ? (after.servers.queries - before.servers.queries) / Math.max(requests, 1)
      : null,
    serverCpuMicrosPerRequest: serverCpuMicros / Math.max(requests, 1),
    othersCpuShare: othersCpuShare(
      before.machine,
      after.machine,
      ownCpuMicros / 1e6,
      (after.at - before.at) / 1000,
      availableParallelism(),
    ),
    requests,
    non2xx,
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  };
}
