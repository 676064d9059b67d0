// A server of the benchmark in a process of its own (the load runs in the parent), spoken to
// over Node's IPC channel: it sends one "ready" message once listening, answers "stats" with
// its query count and CPU time, and exits on SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

/** What a child sends once it listens. */
export type ReadyMessage = {
  type: "ready";
  /** Its origin, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** The vault's first-start keys (null for the bare route and for a second instance). */
  agentKey: string | null;
  adminKey: string | null;
};

/** What a child has done so far: statements its database executed, CPU time it used. */
export type ChildStats = {
  /** Database statements (0 for the bare route). */
  queries: number;
  /** User + system CPU time of the process, in microseconds. */
  cpuMicros: number;
};

/** A request from the parent and the child's answer. */
type StatsRequest = { type: "stats" };
type StatsReply = { type: "stats" } & ChildStats;

/** A running child. */
export type BenchChild = ReadyMessage & {
  /** Its counts so far. */
  stats(): Promise<ChildStats>;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
};

const packageRoot = join(import.meta.dirname, "..");
const START_TIMEOUT_MS = 60_000;

/**
 * Starts `bench/<entry>` with `--conditions=source` and tsx (the server from its sources); its
 * `options` go in the environment (`BENCH_CHILD_OPTIONS`, JSON), never on the command line. With
 * `BENCH_CPU_PROF=<folder>` in the environment each child writes a V8 CPU profile
 * (`node --cpu-prof`) there when it exits.
 */
export async function startBenchChild(entry: string, options: unknown): Promise<BenchChild> {
  const profileFolder = process.env.BENCH_CPU_PROF;
  const profile =
    profileFolder === undefined || profileFolder === ""
      ? []
      : ["--cpu-prof", `--cpu-prof-dir=${profileFolder}`];
  const child: ChildProcess = spawn(
    process.execPath,
    [...profile, "--conditions=source", "--import", "tsx", join("bench", entry)],
    {
      cwd: packageRoot,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, BENCH_CHILD_OPTIONS: JSON.stringify(options) },
    },
  );
  const exited = once(child, "exit");
  const failure = exited.then(([code, signal]) => {
    throw new Error(`bench/${entry} exited (${signal ?? code}) before it was ready`);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`bench/${entry} did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
  });
  let ready: ReadyMessage;
  try {
    [ready] = (await Promise.race([once(child, "message"), failure, timeout])) as [ReadyMessage];
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  } finally {
    clearTimeout(timer);
  }
  failure.catch(() => {});
  return {
    ...ready,
    async stats() {
      const reply = once(child, "message") as Promise<[StatsReply]>;
      child.send({ type: "stats" } satisfies StatsRequest);
      const [message] = await Promise.race([reply, failure]);
      return { queries: message.queries, cpuMicros: message.cpuMicros };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Child side: answers the parent's "stats" requests, with `queries()` as the query count. */
export function answerStats(queries: () => number): void {
  process.on("message", (message: StatsRequest) => {
    if (message.type !== "stats") return;
    const cpu = process.cpuUsage();
    process.send?.({
      type: "stats",
      queries: queries(),
      cpuMicros: cpu.user + cpu.system,
    } satisfies StatsReply);
  });
}

/** Child side: the options the parent gave {@link startBenchChild}. */
export function childOptions<T>(): T {
  return JSON.parse(process.env.BENCH_CHILD_OPTIONS ?? "{}") as T;
}
