import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retry-backoff.js";

describe("retryDelayMs", () => {
  it("doubles from the base up to the cap", () => {
    const delays = [1, 2, 3, 4, 8, 20].map((retry) => retryDelayMs(retry, { jitter: false }));
    expect(delays).toEqual([500, 1000, 2000, 4000, 30_000, 30_000]);
  });

  it("jitters between half and all of the exponential delay", () => {
    expect(retryDelayMs(3, {}, () => 0)).toBe(1000);
    expect(retryDelayMs(3, {}, () => 0.5)).toBe(1500);
    expect(retryDelayMs(3, { baseMs: 100, capMs: 300 }, () => 0.999)).toBeLessThanOrEqual(300);
  });
});
