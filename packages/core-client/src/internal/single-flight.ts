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
    let flight = this.#flights.get(key);
    if (flight === undefined) {
      const controller = new AbortController();
      const promise = task(controller.signal);
      const created: Flight = { promise, controller, waiters: 0 };
      const forget = () => {
        if (this.#flights.get(key) === created) this.#flights.delete(key);
      };
      promise.then(forget, forget);
      this.#flights.set(key, created);
      flight = created;
    }
    flight.waiters += 1;
    return this.#wait(key, flight, signal, abortError) as Promise<T>;
  }

  /** Number of flights in the air (for tests and diagnostics). */
  get size(): number {
    return this.#flights.size;
  }

  #wait(
    key: string,
    flight: Flight,
    signal: AbortSignal | undefined,
    abortError: () => unknown,
  ): Promise<unknown> {
    if (signal === undefined) return flight.promise;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        flight.waiters -= 1;
        if (flight.waiters === 0) {
          // Nobody wants the answer any more: stop the request, and let a new caller start afresh.
          if (this.#flights.get(key) === flight) this.#flights.delete(key);
          flight.controller.abort(signal.reason);
        }
        reject(abortError());
      };
      signal.addEventListener("abort", onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }
}
