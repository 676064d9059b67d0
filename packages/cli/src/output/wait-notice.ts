import type { OnWait, RetryWait } from "@agentsecretstore/client";
import type { CliIo } from "../cli-io.js";
import type { TerminalStyle } from "./terminal-style.js";

/** Whole seconds for waits of a second or more, tenths below (a backoff step can be 0.3 s). */
function secondsText(delayMs: number): string {
  return delayMs >= 1000 ? String(Math.ceil(delayMs / 1000)) : (delayMs / 1000).toFixed(1);
}

/** The line for one wait, e.g. `waiting 12 s: rate limited by the vault (Retry-After)`. */
export function waitLine(wait: RetryWait): string {
  const seconds = secondsText(wait.delayMs);
  if (wait.retryAfter && wait.status === 429) {
    return `waiting ${seconds} s: rate limited by the vault (Retry-After)`;
  }
  if (wait.retryAfter) {
    return `waiting ${seconds} s: the vault answered ${wait.status ?? wait.code} (Retry-After)`;
  }
  const cause = wait.status === null ? wait.code : `HTTP ${wait.status}`;
  return `waiting ${seconds} s: retrying ${wait.method} ${wait.path} after ${cause}`;
}

/**
 * The clients' `onWait`: one line on stderr for every wait before a retry (the client does the
 * waiting and retrying), so that the CLI never waits silently. Standard output is untouched,
 * `--json` included.
 */
export function waitNotice(io: CliIo, style: TerminalStyle): OnWait {
  return (wait) => {
    io.stderr.write(`${style.paint(`ass: ${waitLine(wait)}`, "yellow")}\n`);
  };
}
