/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * For `.catch()` on a call made with `signal`: once the person stopped the command (Ctrl-C),
 * its aborted request ends the loop quietly (`undefined`); any other failure is rethrown.
 */
export function stopQuietlyOnAbort(signal: AbortSignal | undefined) {
  return (error: unknown): undefined => {
    if (signal?.aborted) return undefined;
    throw error;
  };
}
