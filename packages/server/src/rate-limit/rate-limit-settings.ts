import { Redis } from "ioredis";
import type { RateLimitSettings } from "../server-config.js";
import type { RateLimitPluginOptions } from "./rate-limit-plugin.js";
import { createRateLimiters } from "./rate-limiters.js";

/** Where the rate limit store reports connection trouble (never given the Redis URL). */
export type RateLimitStoreLogger = {
  warn(details: Record<string, unknown>, message: string): void;
};

/** The plugin's options for some settings, and how to release the store's connection. */
export type ResolvedRateLimits = {
  options: RateLimitPluginOptions;
  /**
   * Resolves once the store can count (Redis connected), or after `timeoutMs` when it cannot yet:
   * the server then starts anyway and limits in memory until Redis is back.
   */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

/** How long a starting server waits for Redis before it limits in memory, in milliseconds. */
const READY_TIMEOUT_MS = 3000;

/**
 * Turns {@link RateLimitSettings} into the plugin's options; for a Redis store, opens the
 * connection (ioredis reconnects on its own; meanwhile each instance limits in memory).
 *
 * @throws {TypeError} for a Redis URL that is not `redis://` or `rediss://`.
 * @throws {RangeError} for a rule whose numbers are not whole and positive.
 */
export function resolveRateLimits(
  settings: RateLimitSettings | undefined,
  logger: () => RateLimitStoreLogger | undefined,
): ResolvedRateLimits {
  const options: RateLimitPluginOptions = {
    ...(settings?.perCredential === undefined ? {} : { perCredential: settings.perCredential }),
    ...(settings?.writes === undefined ? {} : { writes: settings.writes }),
    ...(settings?.failedAuth === undefined ? {} : { failedAuth: settings.failedAuth }),
    ...(settings?.keyPrefix === undefined ? {} : { keyPrefix: settings.keyPrefix }),
  };
  // Checks the rules now (RangeError), before the server opens anything.
  createRateLimiters(options);
  const store = settings?.store ?? "memory";
  if (store === "memory") {
    return { options: { ...options, store }, ready: async () => {}, close: async () => {} };
  }
  const redis = new Redis(redisUrl(store?.redisUrl), {
    // A command waits for at most one reconnection; the limiter's memory insurance answers
    // while Redis is away, so requests never hang on it.
    maxRetriesPerRequest: 1,
  });
  let reported = false;
  redis.on("ready", () => {
    reported = false;
  });
  redis.on("error", (error: NodeJS.ErrnoException) => {
    // ioredis repeats the error on every reconnection attempt: report once per outage.
    if (reported) return;
    reported = true;
    logger()?.warn(
      { code: error.code ?? error.name },
      "Rate limit store (Redis) unreachable; limiting per instance in memory until it is back",
    );
  });
  return {
    options: { ...options, store: { redis } },
    ready: (timeoutMs = READY_TIMEOUT_MS) =>
      new Promise<void>((resolve) => {
        if (redis.status === "ready") return resolve();
        const timer = setTimeout(done, timeoutMs);
        redis.once("ready", done);
        function done(): void {
          clearTimeout(timer);
          redis.off("ready", done);
          resolve();
        }
      }),
    close: async () => {
      redis.disconnect();
    },
  };
}

function redisUrl(url: unknown): string {
  if (typeof url === "string") {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "redis:" || parsed.protocol === "rediss:") return url;
    } catch {
      // Falls through to the error, which never repeats the URL (it may hold a password).
    }
  }
  throw new TypeError('rateLimits.store.redisUrl must be a "redis://" or "rediss://" URL');
}
