import {
  AgentVaultAbortError,
  type AgentVaultError,
  AgentVaultNetworkError,
  AgentVaultRateLimitError,
  AgentVaultServerError,
} from "../errors.js";
import { MAX_RETRY_AFTER_MS } from "./retry-after.js";

/** First backoff step, in ms. */
const BASE_RETRY_DELAY_MS = 500;
/** Longest backoff step, in ms. */
export const MAX_RETRY_DELAY_MS = 8_000;

/**
 * Whether a failure is transient, so worth repeating: connection errors and timeouts, 408,
 * 429 and 5xx. A caller's abort never is, and 4xx answers will not change by asking again.
 * Writes are retried too: each carries an `Idempotency-Key`, so a repeat creates nothing new.
 * The same rule decides when a cache may serve its last good value instead of failing: such
 * failures say nothing about the secret or the credential.
 */
export function isRetryable(error: unknown): error is AgentVaultError {
  if (error instanceof AgentVaultAbortError) return false;
  if (error instanceof AgentVaultNetworkError) return true; // includes timeouts and 408
  return error instanceof AgentVaultRateLimitError || error instanceof AgentVaultServerError;
}

/**
 * Exponential backoff with full jitter (a uniformly random delay up to the exponential
 * step), which spreads out clients that failed together.
 *
 * @param retryIndex 0 before the first retry, 1 before the second, …
 * @param random a source of numbers in [0, 1)
 */
export function backoffDelay(retryIndex: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, BASE_RETRY_DELAY_MS * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/**
 * How long to wait before the next attempt, in ms: the server's `Retry-After` when it gave
 * one (capped at 60 s), otherwise {@link backoffDelay}.
 */
export function nextRetryDelay(
  retryIndex: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return backoffDelay(retryIndex, random);
}
