/** A signal `ass run` passes on to the command it runs. */
export type ForwardedSignal = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGQUIT";

/** Output stream; a terminal has `isTTY` (and `columns`), which turns on colour and fitting. */
export type CliOutput = { write(chunk: string): unknown; isTTY?: boolean; columns?: number };

/** Where a command reads its input and environment and writes its output; `process` in the `ass` binary. */
export type CliIo = {
  /** Standard output: results, and nothing else, so that it can be piped or sourced. */
  stdout: CliOutput;
  /** Standard error: progress, logs, prompts and error messages. */
  stderr: CliOutput;
  /** Environment variables (`ASS_BASE_URL`, `ASS_ADMIN_KEY`, `ASS_AGENT_KEY`, `ASS_MASTER_KEY`…). */
  env: Record<string, string | undefined>;
  /**
   * Standard input, where secret values come from (piped, or typed at a hidden prompt when it is
   * a terminal). Absent: commands that need a value say how to give one.
   */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Aborted to stop a long-running command (the server, `--follow`, `watch`), e.g. on SIGTERM or SIGINT. */
  signal?: AbortSignal;
  /**
   * Calls `listener` with each signal the process receives, until the returned function is
   * called; `ass run` forwards them to its command. Absent: nothing is forwarded.
   */
  onSignal?: (listener: (signal: ForwardedSignal) => void) => () => void;
};

const FORWARDED: readonly ForwardedSignal[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

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
    stdin: process.stdin,
    signal: controller.signal,
    onSignal(listener) {
      const handlers = FORWARDED.map((name) => {
        const handler = () => listener(name);
        process.on(name, handler);
        return [name, handler] as const;
      });
      return () => {
        for (const [name, handler] of handlers) process.removeListener(name, handler);
      };
    },
  };
}
