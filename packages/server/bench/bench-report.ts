// The run's one table (markdown) and the facts of the machine it ran on.
import { createRequire } from "node:module";
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import type { BenchOptions } from "./bench-options.js";
import type { RowResult } from "./measure-row.js";

/**
 * One measured row. The `baseline` rows (the bare route, first and last) are what every ratio is
 * to (their mean); `comparedTo` names another row for a second ratio (PG 2 vs 1 instance).
 */
export type ReportRow = RowResult & { title: string; baseline?: boolean; comparedTo?: string };

/** What the machine was and did. */
export type MachineFacts = {
  date: string;
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  autocannon: string;
  /** 1, 5 and 15-minute load averages at the start and at the end of the run. */
  loadBefore: number[];
  loadAfter: number[];
};

export type BenchReport = {
  options: BenchOptions;
  machine: MachineFacts;
  rows: ReportRow[];
};

/** The facts at the start of a run; `loadAfter` is filled in at its end. */
export function machineFacts(): MachineFacts {
  const require = createRequire(import.meta.url);
  const autocannon = require("autocannon/package.json") as { version: string };
  return {
    date: new Date().toISOString(),
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    autocannon: autocannon.version,
    loadBefore: loadavg(),
    loadAfter: [],
  };
}

/** Rows with non-2xx answers or connection errors: their figures do not count. */
export function failedRows(report: BenchReport): ReportRow[] {
  return report.rows.filter((row) => row.errors > 0 || Object.keys(row.non2xx).length > 0);
}

function ratio(value: number, to: number | undefined): string {
  return to === undefined || to === 0 ? "—" : `${(value / to).toFixed(2)}×`;
}

function failures(row: ReportRow): string {
  const parts = Object.entries(row.non2xx).map(([status, count]) => `${count}× ${status}`);
  if (row.errors > 0) parts.push(`${row.errors} errors`);
  return parts.length === 0 ? "0" : `**${parts.join(", ")}**`;
}

const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(" / ");

/** The markdown table plus the machine and the settings. */
export function renderMarkdown(report: BenchReport): string {
  const baselines = report.rows.filter((row) => row.baseline === true);
  const bare =
    baselines.reduce((sum, row) => sum + row.requestsPerSecond, 0) / (baselines.length || 1);
  const lines = [
    "| row | requests/s | p50 ms | p99 ms | queries/request | vs bare route | server CPU µs/request | others' CPU | non-2xx |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of report.rows) {
    const other = report.rows.find((candidate) => candidate.title === row.comparedTo);
    const versus =
      other === undefined
        ? ratio(row.requestsPerSecond, bare)
        : `${ratio(row.requestsPerSecond, bare)} (${ratio(row.requestsPerSecond, other.requestsPerSecond)} of 1 instance)`;
    lines.push(
      `| ${row.title} | ${Math.round(row.requestsPerSecond)} | ${row.p50Ms} | ${row.p99Ms} | ${
        row.queriesPerRequest === null ? "—" : row.queriesPerRequest.toFixed(2)
      } | ${versus} | ${Math.round(row.serverCpuMicrosPerRequest)} | ${
        row.othersCpuShare === null ? "—" : `${Math.round(row.othersCpuShare * 100)}%`
      } | ${failures(row)} |`,
    );
  }
  const { machine, options } = report;
  const run =
    options.requestsPerRow === null
      ? `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured per row`
      : `smoke run: ${options.requestsPerRow} requests per row, figures meaningless`;
  // A list, so that each fact stays on its own line when the markdown is rendered.
  lines.push(
    "",
    `- ${machine.date} · ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB · ${machine.os} · Node ${machine.node} · autocannon ${machine.autocannon}`,
    `- ${options.connections} connections (split evenly between instances) · ${run}`,
    "- ratios are to the mean requests/s of the bare-route rows (first and last)",
    `- load average (1/5/15 min) before ${load(machine.loadBefore)}, after ${load(machine.loadAfter)}`,
  );
  return lines.join("\n");
}
