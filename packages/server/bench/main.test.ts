// The harness itself, end to end and as `pnpm bench` runs it (servers in their own processes,
// SQLite and PostgreSQL), with a handful of requests per row. Nothing here measures speed.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { BenchReport } from "./bench-report.js";

const run = promisify(execFile);

describe("pnpm bench --smoke", () => {
  it("measures every row with 2xx answers only and counts the vault's queries", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "bench/main.ts", "--smoke", "--json"],
      { cwd: join(import.meta.dirname, ".."), env: { ...process.env }, maxBuffer: 1 << 24 },
    );
    const report = JSON.parse(stdout) as BenchReport;
    expect(report.rows.map((row) => row.title)).toEqual([
      "bare Fastify route (baseline)",
      "bare Fastify route + the vault's per-request hooks",
      "GET /v1/health",
      "read by agent key",
      "read by scoped token, unlimited",
      "read by scoped token, max_uses",
      "token mint",
      "write (new version)",
      "read by agent key (SQLite writer thread)",
      "read by scoped token, unlimited (SQLite writer thread)",
      "read by scoped token, max_uses (SQLite writer thread)",
      "token mint (SQLite writer thread)",
      "write (new version) (SQLite writer thread)",
      "PostgreSQL: read by agent key, 1 instance",
      "PostgreSQL: read by agent key, 2 instances",
      "bare Fastify route again, at the end",
    ]);
    for (const row of report.rows) {
      expect(row.non2xx, row.title).toEqual({});
      expect(row.errors, row.title).toBe(0);
      expect(row.requests, row.title).toBeGreaterThanOrEqual(50);
      expect(row.serverCpuMicrosPerRequest, row.title).toBeGreaterThan(0);
    }
    for (const row of report.rows) {
      if (row.title.startsWith("bare")) expect(row.queriesPerRequest, row.title).toBeNull();
      // A readiness read vouches for a second (src/vault/readiness.ts): a smoke row may need none.
      else if (row.title === "GET /v1/health") {
        expect(row.queriesPerRequest, row.title).toBeGreaterThanOrEqual(0);
      } else expect(row.queriesPerRequest, row.title).toBeGreaterThan(0);
    }
    expect(report.machine.cores).toBeGreaterThan(0);
  }, 180_000);
});
