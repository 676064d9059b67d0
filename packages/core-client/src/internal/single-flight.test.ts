import { describe, expect, it } from "vitest";
import { SingleFlight } from "./single-flight.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

const abortError = () => new Error("caller aborted");

describe("SingleFlight", () => {
  it("runs concurrent calls with the same key once and gives each the result", async () => {
    const flights = new SingleFlight();
    const work = deferred<string>();
    let runs = 0;
    const task = () => {
      runs += 1;
      return work.promise;
    };
    const first = flights.run("k", undefined, task, abortError);
    const second = flights.run("k", undefined, task, abortError);
    work.resolve("answer");
    await expect(Promise.all([first, second])).resolves.toEqual(["answer", "answer"]);
    expect(runs).toBe(1);
  });

  it("runs calls with different keys separately", async () => {
    const flights = new SingleFlight();
    let runs = 0;
    const task = async () => ++runs;
    await Promise.all([
      flights.run("a", undefined, task, abortError),
      flights.run("b", undefined, task, abortError),
    ]);
    expect(runs).toBe(2);
  });

  it("starts afresh once the flight has landed", async () => {
    const flights = new SingleFlight();
    let runs = 0;
    const task = async () => ++runs;
    await flights.run("k", undefined, task, abortError);
    await flights.run("k", undefined, task, abortError);
    expect(runs).toBe(2);
    expect(flights.size).toBe(0);
  });

  it("shares a failure with every caller and then forgets it", async () => {
    const flights = new SingleFlight();
    const work = deferred<string>();
    const first = flights.run("k", undefined, () => work.promise, abortError);
    const second = flights.run("k", undefined, () => work.promise, abortError);
    work.reject(new Error("boom"));
    await expect(first).rejects.toThrow("boom");
    await expect(second).rejects.toThrow("boom");
    expect(flights.size).toBe(0);
  });

  it("detaches only the caller whose signal fired", async () => {
    const flights = new SingleFlight();
    const work = deferred<string>();
    let sharedSignal: AbortSignal | undefined;
    const task = (signal: AbortSignal) => {
      sharedSignal = signal;
      return work.promise;
    };
    const leaving = new AbortController();
    const first = flights.run("k", leaving.signal, task, abortError);
    const second = flights.run("k", new AbortController().signal, task, abortError);
    leaving.abort();
    await expect(first).rejects.toThrow("caller aborted");
    expect(sharedSignal?.aborted).toBe(false);
    work.resolve("still wanted");
    await expect(second).resolves.toBe("still wanted");
  });

  it("aborts the shared work when every caller has left", async () => {
    const flights = new SingleFlight();
    let sharedSignal: AbortSignal | undefined;
    const task = (signal: AbortSignal) => {
      sharedSignal = signal;
      return new Promise<string>(() => {});
    };
    const a = new AbortController();
    const b = new AbortController();
    const first = flights.run("k", a.signal, task, abortError);
    const second = flights.run("k", b.signal, task, abortError);
    a.abort();
    b.abort();
    await expect(first).rejects.toThrow("caller aborted");
    await expect(second).rejects.toThrow("caller aborted");
    expect(sharedSignal?.aborted).toBe(true);
    expect(flights.size).toBe(0);
  });

  it("rejects at once for a signal that already fired, without starting work", async () => {
    const flights = new SingleFlight();
    let runs = 0;
    const controller = new AbortController();
    controller.abort();
    await expect(
      flights.run("k", controller.signal, async () => ++runs, abortError),
    ).rejects.toThrow("caller aborted");
    expect(runs).toBe(0);
  });
});
