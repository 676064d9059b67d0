// How busy the whole machine was, from Linux's /proc/stat, so that a row can say how much of the
// CPU went to processes outside the benchmark (other work on a shared machine).
import { readFileSync } from "node:fs";

/** Cumulative CPU time of all cores, in clock ticks: spent on work, and in all. */
export type CpuSample = { busy: number; total: number };

/** The machine's CPU counters now; null where /proc/stat is not there (not Linux). */
export function sampleMachineCpu(): CpuSample | null {
  let text: string;
  try {
    text = readFileSync("/proc/stat", "utf8");
  } catch {
    return null;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is in user)
  const fields = (text.split("\n", 1)[0] ?? "").trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/**
 * The share of the machine's CPU (0–1) spent between two samples by anything other than
 * `ownCpuSeconds` (the benchmark's own processes) over `seconds` of wall time on `cores` cores.
 */
export function othersCpuShare(
  before: CpuSample | null,
  after: CpuSample | null,
  ownCpuSeconds: number,
  seconds: number,
  cores: number,
): number | null {
  if (before === null || after === null || after.total <= before.total || seconds <= 0) {
    return null;
  }
  const busyShare = (after.busy - before.busy) / (after.total - before.total);
  return Math.min(1, Math.max(0, busyShare - ownCpuSeconds / (seconds * cores)));
}
