import { afterEach, describe, expect, it, vi } from "vitest";
import { abortableSleep, linkSignals, MAX_TIMER_MS, raceAbort } from "./abort.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("linkSignals", () => {
  it("fires when any linked signal fires, with its reason", () => {
    const first = new AbortController();
    const second = new AbortController();
    const linked = linkSignals([first.signal, undefined, second.signal]);
    second.abort("stop");
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe("stop");
  });

  it("starts aborted when a signal already fired", () => {
    const fired = new AbortController();
    fired.abort();
    expect(linkSignals([fired.signal]).signal.aborted).toBe(true);
  });

  it("stops listening after dispose", () => {
    const source = new AbortController();
    const linked = linkSignals([source.signal]);
    linked.dispose();
    source.abort();
    expect(linked.signal.aborted).toBe(false);
  });
});

describe("raceAbort", () => {
  it("rejects as soon as the signal fires, even if the work ignores it", async () => {
    const controller = new AbortController();
    const racing = raceAbort(new Promise(() => {}), controller.signal);
    controller.abort(new Error("gone"));
    await expect(racing).rejects.toThrow("gone");
  });

  it("settles like the work when the signal stays quiet", async () => {
    await expect(raceAbort(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });
});

describe("abortableSleep", () => {
  it("resolves after the delay", async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = abortableSleep(1000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it("rejects when the signal fires", async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort(new Error("cancelled"));
    await expect(sleeping).rejects.toThrow("cancelled");
  });

  it("clamps delays longer than a timer can hold instead of firing at once", async () => {
    vi.useFakeTimers();
    let done = false;
    void abortableSleep(Number.MAX_SAFE_INTEGER).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
  });
});
