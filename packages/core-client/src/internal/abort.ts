/**
 * The longest delay `setTimeout` honours (2^31 - 1 ms, about 24.8 days); a longer one fires
 * at once, so every timer the client sets is clamped to it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Calls `listener` once when `signal` fires (at once when it already has). Returns what detaches
 * it again: called when the work is done, so a long-lived caller signal does not collect one
 * listener per request.
 */
export function onAbort(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (signal?.aborted) listener();
  else signal?.addEventListener("abort", listener, { once: true });
  return () => signal?.removeEventListener("abort", listener);
}

/** A signal that fires when any of `signals` fires; `dispose()` detaches it again. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** Links several optional signals into one (unlike `AbortSignal.any`, detached on `dispose()`). */
export function linkSignals(signals: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const detachers = signals.map((signal) =>
    onAbort(signal, () => controller.abort(signal?.reason)),
  );
  return {
    signal: controller.signal,
    dispose: () => {
      for (const detach of detachers) detach();
    },
  };
}

/**
 * Settles like `promise`, or rejects as soon as `signal` fires (with what `abandon` returns,
 * by default the signal's reason), even when whatever produces `promise` ignores the signal
 * (a custom `fetch`, say).
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  abandon: () => unknown = () => signal.reason,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const detach = onAbort(signal, () => {
      promise.catch(() => {}); // the loser's rejection is expected; keep it from being unhandled
      reject(abandon());
    });
    promise.then(
      (value) => {
        detach();
        resolve(value);
      },
      (error: unknown) => {
        detach();
        reject(error);
      },
    );
  });
}

/** Waits `milliseconds`; rejects with `signal.reason` as soon as `signal` fires. */
export function abortableSleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        detach();
        resolve();
      },
      Math.min(milliseconds, MAX_TIMER_MS),
    );
    const detach = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal?.reason);
    });
  });
}
