import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./retry-after.js";

const NOW = Date.parse("2026-01-15T10:30:00.000Z");

describe("parseRetryAfter", () => {
  it("reads delay-seconds as milliseconds", () => {
    expect(parseRetryAfter("2", NOW)).toBe(2000);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
  });

  it("reads an HTTP-date as the time left until it", () => {
    expect(parseRetryAfter("Thu, 15 Jan 2026 10:30:07 GMT", NOW)).toBe(7000);
  });

  it("treats an HTTP-date in the past as no wait", () => {
    expect(parseRetryAfter("Thu, 15 Jan 2026 10:29:00 GMT", NOW)).toBe(0);
  });

  it("ignores absent, empty and malformed values", () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter("", NOW)).toBeNull();
    expect(parseRetryAfter("1.5", NOW)).toBeNull();
    expect(parseRetryAfter("-3", NOW)).toBeNull();
    expect(parseRetryAfter("soon", NOW)).toBeNull();
  });

  it("does not cap the parsed value", () => {
    expect(parseRetryAfter("3600", NOW)).toBe(3_600_000);
  });
});
