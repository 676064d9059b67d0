import { raceAbort } from "./abort.js";

interface Flight {
  readonly promise: Promise<unknown>;
  readonly controller: AbortController;
  /** Callers still waiting; the shared work is aborted only when this drops to zero. */
  waiters: number;
}

/**
 * Lets concurrent identical reads share one in-flight request. Each caller keeps its own
 * `AbortSignal`: one caller aborting only detaches that caller; the shared request is
 * aborted once every caller has gone.
 */
export class SingleFlight {
  readonly #flights = new Map<string, Flight>();

  /**
   * Joins the flight for `key`, or starts one with `task`.
   *
   * @param task does the work; gets a signal that fires when every caller has aborted
   * @param abortError the error a caller whose own signal fired rejects with
   */
  run<T>(
    key: string,
    signal: AbortSignal | undefined,
    task: (sharedSignal: AbortSignal) => Promise<T>,
    abortError: () => unknown,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError());
    const flights = this.#flights;
    let flight = flights.get(key);
    if (flight === undefined) {
      const controller = new AbortController();
      const created: Flight = { promise: task(controller.signal), controller, waiters: 0 };
      const forget = () => {
        if (flights.get(key) === created) flights.delete(key);
      };
      created.promise.then(forget, forget);
      flights.set(key, created);
      flight = created;
    }
    const joined = flight;
    joined.waiters += 1;
    if (signal === undefined) return joined.promise as Promise<T>;
    return raceAbort(joined.promise as Promise<T>, signal, () => {
      joined.waiters -= 1;
      if (joined.waiters === 0) {
        // Nobody wants the answer any more: stop the request, and let a new caller start afresh.
        if (flights.get(key) === joined) flights.delete(key);
        joined.controller.abort(signal.reason);
      }
      return abortError();
    });
  }

  /** Number of flights in the air (for tests and diagnostics). */
  get size(): number {
    return this.#flights.size;
  }
}
