/** Where a command reads its environment and writes its output; `process` in the real `ass` binary. */
export type CliIo = {
  /** Standard output: results, and nothing else, so that it can be piped or sourced. */
  stdout: { write(chunk: string): unknown };
  /** Standard error: progress, logs and error messages. */
  stderr: { write(chunk: string): unknown };
  /** Environment variables (`ASS_BASE_URL`, `ASS_ADMIN_KEY`, `ASS_AGENT_KEY`, `ASS_MASTER_KEY`…). */
  env: Record<string, string | undefined>;
  /** Aborted to stop a long-running command (the server), e.g. on SIGTERM or SIGINT. */
  signal?: AbortSignal;
};

/** The io of the running process; `signal` aborts on SIGTERM or SIGINT. */
export function processIo(): CliIo {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  };
}
