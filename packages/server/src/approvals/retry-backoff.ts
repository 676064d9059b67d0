/** Exponential backoff between delivery attempts. */
export type RetryBackoffOptions = {
  /**
   * The delay before the first retry, doubled for each later one, in milliseconds.
   * @default 500
   */
  baseMs?: number;
  /**
   * The longest delay, in milliseconds.
   * @default 30000
   */
  capMs?: number;
  /**
   * Randomise each delay between half and all of its exponential value, so that many senders
   * failing together do not retry in lockstep.
   * @default true
   */
  jitter?: boolean;
};

/**
 * The wait before retry number `retry` (1 for the first retry): `min(capMs, baseMs × 2^(retry−1))`,
 * and with jitter a uniformly random value between half of that and all of it.
 *
 * @example
 * retryDelayMs(3, { jitter: false }); // 2000
 */
export function retryDelayMs(
  retry: number,
  options: RetryBackoffOptions = {},
  random: () => number = Math.random,
): number {
  const baseMs = options.baseMs ?? 500;
  const capMs = options.capMs ?? 30_000;
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  if (options.jitter === false) return exponential;
  return exponential / 2 + random() * (exponential / 2);
}
