// The whole run: the bare route, the vault on SQLite, then on PostgreSQL with one and two
// instances, and the bare route again (so that a change in the machine's other load shows);
// each server in a process of its own, the load from this one.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type BenchChild, startBenchChild } from "./bench-child.js";
import type { BenchOptions } from "./bench-options.js";
import { type BenchReport, machineFacts, type ReportRow } from "./bench-report.js";
import { measureRow, type RequestShape, type Target } from "./measure-row.js";
import { mintShape, readShape, seedVault, writeShape } from "./vault-fixture.js";

const HEALTH: RequestShape = { method: "GET", path: "/v1/health", expectedStatus: 200 };
const BARE: RequestShape = { method: "GET", path: "/constant", expectedStatus: 200 };
const BARE_FIRST = "bare Fastify route (baseline)";
const BARE_LAST = "bare Fastify route again, at the end";
const HOOKS = "bare Fastify route + the vault's per-request hooks";
const PG_ONE = "PostgreSQL: read by agent key, 1 instance";
const PG_TWO = "PostgreSQL: read by agent key, 2 instances";

function firstKey(child: BenchChild): string {
  if (child.agentKey === null) throw new Error("the vault did not make its first keys");
  return child.agentKey;
}

/** Runs every row and returns the report; `progress` hears each row's title as it starts. */
export async function runBench(
  options: BenchOptions,
  progress: (message: string) => void,
): Promise<BenchReport> {
  const machine = machineFacts();
  const rows: ReportRow[] = [];
  const children: BenchChild[] = [];
  const folder = await mkdtemp(join(tmpdir(), "ass-bench-"));
  const start = async (entry: string, childOptions: unknown) => {
    const child = await startBenchChild(entry, childOptions);
    children.push(child);
    return child;
  };
  const row = async (
    title: string,
    targets: Target[],
    shape: RequestShape,
    extra: { baseline?: boolean; comparedTo?: string; queries?: false } = {},
  ) => {
    progress(title);
    const countQueries = extra.baseline !== true && extra.queries !== false;
    const result = await measureRow(title, targets, shape, options, countQueries);
    rows.push({
      title,
      ...result,
      ...(extra.baseline === true ? { baseline: true } : {}),
      ...(extra.comparedTo === undefined ? {} : { comparedTo: extra.comparedTo }),
    });
  };

  let schema: string | null = null;
  const admin = options.databaseUrl === null ? null : new pg.Client(options.databaseUrl);
  try {
    const bare = await start("bare-server.ts", {});
    await row(BARE_FIRST, [bare], BARE, { baseline: true });
    const hooks = await start("hooks-server.ts", {});
    await row(HOOKS, [hooks], BARE, { queries: false });
    await hooks.stop();

    // SQLite twice: commits on the main thread (the default), then on the writer thread.
    for (const writerThread of [false, true]) {
      const suffix = writerThread ? " (SQLite writer thread)" : "";
      const sqlite = await start("vault-server.ts", {
        dataDir: join(folder, writerThread ? "sqlite-writer-thread" : "sqlite"),
        writerThread,
      });
      const credentials = await seedVault(sqlite.url, firstKey(sqlite));
      if (!writerThread) await row("GET /v1/health", [sqlite], HEALTH);
      await row(`read by agent key${suffix}`, [sqlite], readShape(credentials.agentKey));
      await row(
        `read by scoped token, unlimited${suffix}`,
        [sqlite],
        readShape(credentials.unlimitedToken),
      );
      await row(
        `read by scoped token, max_uses${suffix}`,
        [sqlite],
        readShape(credentials.limitedToken),
      );
      await row(`token mint${suffix}`, [sqlite], mintShape(credentials.agentKey));
      await row(`write (new version)${suffix}`, [sqlite], writeShape(credentials.agentKey));
      await sqlite.stop();
    }

    if (admin !== null && options.databaseUrl !== null) {
      await admin.connect();
      schema = `ass_bench_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(4).toString("hex")}`;
      await admin.query(`create schema ${pg.escapeIdentifier(schema)}`);
      const url = new URL(options.databaseUrl);
      url.searchParams.set("schema", schema);
      const shared = { databaseUrl: url.toString(), masterKey: randomBytes(32).toString("base64") };
      const first = await start("vault-server.ts", { ...shared, dataDir: join(folder, "pg-a") });
      const agentKey = (await seedVault(first.url, firstKey(first))).agentKey;
      await row(PG_ONE, [first], readShape(agentKey));
      const second = await start("vault-server.ts", { ...shared, dataDir: join(folder, "pg-b") });
      await row(PG_TWO, [first, second], readShape(agentKey), { comparedTo: PG_ONE });
      await first.stop();
      await second.stop();
    }
    await row(BARE_LAST, [bare], BARE, { baseline: true });
  } finally {
    for (const child of children) await child.stop();
    if (admin !== null) {
      if (schema !== null) {
        await admin.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
      }
      await admin.end().catch(() => {});
    }
    await rm(folder, { recursive: true, force: true });
  }
  machine.loadAfter = loadavg();
  return { options, machine, rows };
}
