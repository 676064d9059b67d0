import { describe, expect, it } from "vitest";
import { benchOptions } from "./bench-options.js";

describe("benchOptions", () => {
  it("defaults to 20 connections, 3 s of warm-up and 10 s per row, PostgreSQL included", () => {
    expect(benchOptions([], {})).toEqual({
      connections: 20,
      warmupSeconds: 3,
      durationSeconds: 10,
      requestsPerRow: null,
      databaseUrl: "postgres://postgres@127.0.0.1:5432/test",
      json: false,
    });
  });

  it("takes BENCH_* variables, and flags over them", () => {
    const options = benchOptions(["--duration", "2"], {
      BENCH_DURATION: "5",
      BENCH_WARMUP: "1",
      BENCH_CONNECTIONS: "8",
      BENCH_POSTGRES: "0",
    });
    expect(options).toMatchObject({
      durationSeconds: 2,
      warmupSeconds: 1,
      connections: 8,
      databaseUrl: null,
    });
  });

  it("makes the smoke run a fixed number of requests without warm-up", () => {
    expect(benchOptions(["--smoke"], {})).toMatchObject({ requestsPerRow: 50, warmupSeconds: 0 });
  });

  it("refuses numbers that are not numbers, and unknown flags", () => {
    expect(() => benchOptions(["--duration", "soon"], {})).toThrow(/--duration must be a number/);
    expect(() => benchOptions([], { BENCH_CONNECTIONS: "0" })).toThrow(/--connections/);
    expect(() => benchOptions(["--durations", "2"], {})).toThrow(/durations/);
  });
});
