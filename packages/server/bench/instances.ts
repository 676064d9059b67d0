// Secret reads per second on SQLite (one instance), and on PostgreSQL with one and with two
// instances (each its own process, as behind a load balancer), measured in the same run over
// loopback and printed side by side. Not a test: numbers depend on the machine (on a small one,
// the load generator, both instances and PostgreSQL share the same cores).
//   pnpm --filter @agentsecretstore/server bench:instances
//   BENCH_SECONDS (5), BENCH_CONNECTIONS (10, split between the instances), BENCH_DATABASE_URL
//   (postgres://postgres@127.0.0.1:5432/test; the run works in a schema of its own, dropped after)
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import pg from "pg";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const packageRoot = join(import.meta.dirname, "..");
// Limits far above what the run sends: a benchmark measures reads, not the 429 path.
const unlimited = { points: 1_000_000_000, durationSeconds: 60 };

type Instance = { child: ChildProcess; baseUrl: string; agentKey: string | null };
type Row = { setup: string; "requests/s": number; "p99 ms": number };

const children: ChildProcess[] = [];

async function startInstance(dataDir: string, options: Record<string, unknown>): Promise<Instance> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/run-instance.ts", dataDir], {
    cwd: packageRoot,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      ASS_BENCH_SERVER_OPTIONS: JSON.stringify({
        ...options,
        rateLimits: { perCredential: unlimited, failedAuth: unlimited },
      }),
    },
  });
  children.push(child);
  const exited = once(child, "exit").then(() => {
    throw new Error("a vault instance exited before listening");
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await Promise.race([once(lines, "line"), exited])) as [string];
  return { child, ...(JSON.parse(line) as Omit<Instance, "child">) };
}

async function seed(instance: Instance, agentKey: string): Promise<void> {
  const put = await fetch(`${instance.baseUrl}/secrets/bench/openai/api-key`, {
    method: "PUT",
    headers: { authorization: `Bearer ${agentKey}`, "content-type": "application/json" },
    body: JSON.stringify({ value: "bench-fake-value-0123456789abcdef" }),
  });
  if (put.status !== 201) throw new Error(`seeding failed with ${put.status}`);
}

/** Reads on every instance at once, the connections split between them; totals and worst p99. */
async function measure(setup: string, instances: Instance[], agentKey: string): Promise<Row> {
  const results = await Promise.all(
    instances.map((instance) =>
      autocannon({
        url: `${instance.baseUrl}/secrets/bench/openai/api-key`,
        headers: { authorization: `Bearer ${agentKey}` },
        connections: Math.max(1, Math.round(connections / instances.length)),
        duration: seconds,
      }),
    ),
  );
  const failed = results.reduce((sum, result) => sum + result.non2xx + result.errors, 0);
  if (failed > 0) throw new Error(`${setup}: ${failed} requests failed; the numbers would lie`);
  return {
    setup,
    "requests/s": Math.round(results.reduce((sum, result) => sum + result.requests.average, 0)),
    "p99 ms": Math.max(...results.map((result) => result.latency.p99)),
  };
}

const folder = await mkdtemp(join(tmpdir(), "ass-bench-instances-"));
const schema = `ass_bench_${randomBytes(5).toString("hex")}`;
const admin = new pg.Client({ connectionString: databaseUrl });
await admin.connect();
try {
  const rows: Row[] = [];

  const sqlite = await startInstance(join(folder, "sqlite"), {});
  const sqliteKey = sqlite.agentKey ?? "";
  await seed(sqlite, sqliteKey);
  rows.push(await measure("SQLite, 1 instance", [sqlite], sqliteKey));
  sqlite.child.kill("SIGTERM");
  await once(sqlite.child, "exit");

  await admin.query(`create schema ${pg.escapeIdentifier(schema)}`);
  const url = new URL(databaseUrl);
  url.searchParams.set("schema", schema);
  const shared = {
    databaseUrl: url.toString(),
    env: { ASS_MASTER_KEY: randomBytes(32).toString("base64") },
  };
  const first = await startInstance(join(folder, "a"), shared);
  const agentKey = first.agentKey ?? "";
  await seed(first, agentKey);
  rows.push(await measure("PostgreSQL, 1 instance", [first], agentKey));
  const second = await startInstance(join(folder, "b"), shared);
  rows.push(await measure("PostgreSQL, 2 instances", [first, second], agentKey));

  console.table(rows);
  const [onSqlite, onOne, onTwo] = rows.map((row) => row["requests/s"]);
  console.log(
    `PostgreSQL: 2 instances read ${((onTwo ?? 0) / (onOne || 1)).toFixed(2)}× what 1 does; ` +
      `1 instance on PostgreSQL reads ${((onOne ?? 0) / (onSqlite || 1)).toFixed(2)}× SQLite ` +
      `(${connections} connections in all, ${seconds}s each, ${availableParallelism()} cores shared by the load generator, the instances and PostgreSQL)`,
  );
} finally {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  }
  await admin.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
  await admin.end();
  await rm(folder, { recursive: true, force: true });
}
