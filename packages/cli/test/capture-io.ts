import type { CliIo } from "../src/cli-io.js";

/** A CliIo that records what a command writes, with an AbortController to stop it. */
export function captureIo(env: Record<string, string | undefined> = {}) {
  const controller = new AbortController();
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: (chunk: string) => err.push(chunk) },
    env,
    signal: controller.signal,
  };
  return {
    io,
    stop: () => controller.abort(),
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Parses dotenv lines (`NAME=value`, `#` comments) into a map. */
export function parseDotenv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) result[match[1]!] = match[2]!;
  }
  return result;
}
