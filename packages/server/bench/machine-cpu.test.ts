import { describe, expect, it } from "vitest";
import { othersCpuShare, sampleMachineCpu } from "./machine-cpu.js";

describe("othersCpuShare", () => {
  it("is the machine's busy share minus what the bench's own processes used", () => {
    // 2 cores for 10 s = 20 core-seconds; 75% busy = 15 s, of which the bench used 5 s.
    const share = othersCpuShare({ busy: 0, total: 0 }, { busy: 750, total: 1000 }, 5, 10, 2);
    expect(share).toBeCloseTo(0.5);
  });

  it("never goes below 0 or above 1, and is null without samples", () => {
    expect(othersCpuShare({ busy: 0, total: 0 }, { busy: 100, total: 1000 }, 20, 10, 2)).toBe(0);
    expect(othersCpuShare(null, { busy: 1, total: 2 }, 0, 1, 2)).toBeNull();
    expect(othersCpuShare({ busy: 1, total: 2 }, { busy: 1, total: 2 }, 0, 1, 2)).toBeNull();
  });

  it.runIf(process.platform === "linux")("reads the machine's counters on Linux", () => {
    const sample = sampleMachineCpu();
    expect(sample?.total).toBeGreaterThan(0);
    expect(sample?.busy).toBeLessThanOrEqual(sample?.total ?? 0);
  });
});
