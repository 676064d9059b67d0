/**
 * What the client is about to wait for before it repeats a request: given to the `onWait`
 * option (`AgentVault`, `VaultAdmin`) every time, so that no wait is silent.
 *
 * @example
 * new AgentVault({
 *   onWait: (wait) => {
 *     if (wait.retryAfter) console.error(`waiting ${Math.ceil(wait.delayMs / 1000)} s: ${wait.code}`);
 *   },
 * });
 */
export interface RetryWait {
  /** How long the client waits before the next attempt, in ms. */
  readonly delayMs: number;
  /**
   * Whether the delay is the server's `Retry-After` (a rate limit or a 503), rather than the
   * client's own backoff after a connection error, timeout or 5xx.
   */
  readonly retryAfter: boolean;
  /** The failure being retried: the server's `error.code` (`RATE_LIMITED`, …) or a client code. */
  readonly code: string;
  /** Its HTTP status, or `null` when no response arrived (connection error, timeout). */
  readonly status: number | null;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  /** The request's method, e.g. `GET`. */
  readonly method: string;
  /** The request's path, e.g. `/v1/secrets/production/db` (credentials never appear in it). */
  readonly path: string;
}

/** The `onWait` option: called before each wait; an exception it throws is ignored. */
export type OnWait = (wait: RetryWait) => void;
