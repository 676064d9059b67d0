/** The longest the client waits on a server's `Retry-After` before trying again, in ms. */
export const MAX_RETRY_AFTER_MS = 60_000;

const DELAY_SECONDS = /^\d+$/;

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`). Returns the delay in milliseconds, not
 * capped (a date in the past gives 0), or `null` when the header is absent or malformed.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (text === "") return null;
  if (DELAY_SECONDS.test(text)) return Number(text) * 1000;
  // RFC 9110 allows only the date forms here; Date.parse would also take "1.5" or "-3".
  if (!/[A-Za-z]/.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
