const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DURATION = /^(\d{1,9})([smhd])?$/;
const EXPECTED = 'a whole number of seconds or a duration such as "90s", "15m", "1h" or "1d"';

/**
 * Parses a token lifetime: a whole number of seconds (`3600`, or the string `"3600"`) or a
 * duration string with one unit, `s`, `m`, `h` or `d` (`"90s"`, `"15m"`, `"1h"`, `"1d"`). The
 * result is in seconds and at least 1. The upper bound (86 400 s by default) is the caller's to
 * enforce, since it depends on configuration and on a parent token's remaining lifetime.
 *
 * @example
 * parseTtl("15m"); // { ok: true, seconds: 900 }
 * parseTtl(0);     // { ok: false, message: "ttl must be at least 1 second" }
 */
export function parseTtl(
  input: string | number,
): { ok: true; seconds: number } | { ok: false; message: string } {
  if (typeof input === "number") {
    if (!Number.isSafeInteger(input)) return fail(`ttl must be ${EXPECTED}`);
    return atLeastOne(input);
  }
  if (typeof input !== "string") return fail(`ttl must be ${EXPECTED}`);
  const match = DURATION.exec(input);
  if (match === null) return fail(`ttl must be ${EXPECTED}`);
  const unit = (match[2] ?? "s") as keyof typeof UNIT_SECONDS;
  return atLeastOne(Number(match[1]) * UNIT_SECONDS[unit]);
}

function atLeastOne(
  seconds: number,
): { ok: true; seconds: number } | { ok: false; message: string } {
  if (seconds < 1) return fail("ttl must be at least 1 second");
  return { ok: true, seconds };
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
