import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type SendProgress, withProgressHeartbeat } from "./progress-heartbeat.js";

describe("withProgressHeartbeat", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends growing progress while the work is pending, and stops when it settles", async () => {
    const sent: Parameters<SendProgress>[0][] = [];
    let finish: (value: string) => void = () => {};
    const work = new Promise<string>((resolve) => {
      finish = resolve;
    });
    const result = withProgressHeartbeat(work, {
      progressToken: "token-1",
      send: async (notification) => {
        sent.push(notification);
      },
      intervalMs: 1_000,
      describe: (seconds) => `waited ${seconds} s`,
    });
    await vi.advanceTimersByTimeAsync(3_000);
    finish("done");
    expect(await result).toBe("done");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent.map((notification) => notification.params.progress)).toEqual([1, 2, 3]);
    expect(sent[2]?.params).toMatchObject({ progressToken: "token-1", message: "waited 3 s" });
  });

  it("sends nothing when the client did not ask for progress", async () => {
    const send = vi.fn(async () => {});
    const result = withProgressHeartbeat(new Promise((resolve) => setTimeout(resolve, 5_000)), {
      progressToken: undefined,
      send,
      intervalMs: 1_000,
      describe: () => "",
    });
    await vi.advanceTimersByTimeAsync(6_000);
    await result;
    expect(send).not.toHaveBeenCalled();
  });

  it("keeps the work's failure and survives a notification that cannot be sent", async () => {
    const result = withProgressHeartbeat(
      new Promise((_, reject) => setTimeout(() => reject(new Error("vault down")), 2_500)),
      {
        progressToken: 5,
        send: async () => {
          throw new Error("client gone");
        },
        intervalMs: 1_000,
        describe: () => "",
      },
    );
    const settled = expect(result).rejects.toThrow("vault down");
    await vi.advanceTimersByTimeAsync(3_000);
    await settled;
  });
});
