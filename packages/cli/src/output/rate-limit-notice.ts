import type { FetchLike } from "@agentsecretstore/client";
import type { CliIo } from "../cli-io.js";
import type { TerminalStyle } from "./terminal-style.js";

/**
 * The global `fetch`, saying on stderr when the vault answers 429 and how long the client will
 * wait (its `Retry-After`) before it retries by itself; on a terminal the seconds count down.
 * Nothing else changes: the client still does the waiting and the retrying.
 */
export function rateLimitNoticingFetch(io: CliIo, style: TerminalStyle): FetchLike {
  let ticker: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    if (ticker === undefined) return;
    clearInterval(ticker);
    ticker = undefined;
    io.stderr.write("\n");
  };
  return async (url, init) => {
    stop();
    const response = await fetch(url, init);
    if (response.status !== 429) return response;
    const seconds = retryAfterSeconds(response.headers.get("retry-after"));
    if (seconds === undefined) return response;
    const until = Date.now() + seconds * 1000;
    const line = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      return style.paint(
        `ass: the vault is rate limiting these requests; trying again in ${left} s (Ctrl-C to stop)`,
        "yellow",
      );
    };
    if (!style.forPeople) {
      io.stderr.write(`${line()}\n`);
      return response;
    }
    io.stderr.write(line());
    ticker = setInterval(() => {
      io.stderr.write(`\r\u001b[2K${line()}`);
      if (Date.now() >= until) stop();
    }, 1000);
    ticker.unref?.();
    return response;
  };
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
