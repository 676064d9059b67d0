import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";

/** A budget: `points` requests per `durationSeconds` window. */
export type RateLimitRule = {
  /** Requests allowed per window. */
  points: number;
  /** The window's length, in seconds. */
  durationSeconds: number;
  /**
   * Once the budget is spent (the request that takes the last point still passes), refuse for
   * this long instead of until the window ends, in seconds; `0` for no extra block.
   * @default 0
   */
  blockSeconds?: number;
};

/**
 * Where counts live: `"memory"` for one server instance, or `{ redis }` (an ioredis client) so
 * that several instances share one count per key. With Redis, a per-instance in-memory limiter
 * takes over while Redis is unreachable, so limits keep holding (per instance) instead of failing
 * open or failing every request.
 */
export type RateLimitStore = "memory" | { redis: Redis };

/** Options of {@link createRateLimiters}. */
export type RateLimitersConfig = {
  /** @default "memory" */
  store?: RateLimitStore;
  /**
   * Each caller's budget for every authenticated request: an agent or admin key, or a token family
   * (a token and its descendants count against the agent or admin that issued the root).
   * @default { points: 1200, durationSeconds: 60 } (a start-up burst of 1,000 reads passes)
   */
  perCredential?: Partial<RateLimitRule>;
  /**
   * The same caller's smaller budget for writes and token mints (every authenticated request
   * other than GET, HEAD and OPTIONS), counted on top of `perCredential`.
   * @default { points: 120, durationSeconds: 60 }
   */
  writes?: Partial<RateLimitRule>;
  /**
   * Each client address's budget of failed authentications.
   * @default { points: 10, durationSeconds: 60, blockSeconds: 0 }
   */
  failedAuth?: Partial<RateLimitRule>;
  /**
   * Prefix of every key in the store; instances that share counts must share it.
   * @default "ass:rl"
   */
  keyPrefix?: string;
};

/** The answer for one request. */
export type RateLimitDecision = {
  /** Whether the request is within its budget. */
  allowed: boolean;
  /** The budget per window (`RateLimit-Limit`). */
  limit: number;
  /** Requests left in this window (`RateLimit-Remaining`). */
  remaining: number;
  /** Seconds until the window (or block) ends (`RateLimit-Reset`). */
  resetSeconds: number;
  /** When refused: whole seconds to wait before trying again (`Retry-After`), at least 1. */
  retryAfterSeconds: number;
};

/** The three budgets, usable without Fastify. Keys are hashed before they reach the store. */
export type RateLimiters = {
  /** Counts one request by an authenticated caller (pass its budget key, see `budgetKeyOf`). */
  consumeForCredential(budgetKey: string): Promise<RateLimitDecision>;
  /** Counts one write or token mint by an authenticated caller, on top of its request. */
  consumeWrite(budgetKey: string): Promise<RateLimitDecision>;
  /**
   * Counts one failed authentication from a client address; refused once the address spent its
   * budget. Only failures are counted and refused: a valid credential never meets this budget.
   */
  consumeFailedAuth(clientAddress: string): Promise<RateLimitDecision>;
  /** The rules in force, defaults filled in. */
  readonly rules: {
    perCredential: Required<RateLimitRule>;
    writes: Required<RateLimitRule>;
    failedAuth: Required<RateLimitRule>;
  };
};

const DEFAULT_PER_CREDENTIAL: Required<RateLimitRule> = {
  points: 1200,
  durationSeconds: 60,
  blockSeconds: 0,
};
const DEFAULT_WRITES: Required<RateLimitRule> = {
  points: 120,
  durationSeconds: 60,
  blockSeconds: 0,
};
const DEFAULT_FAILED_AUTH: Required<RateLimitRule> = {
  points: 10,
  durationSeconds: 60,
  blockSeconds: 0,
};

/**
 * The per-caller, write and failed-authentication limiters, on rate-limiter-flexible.
 *
 * @throws {RangeError} for a rule whose numbers are not whole and positive.
 * @example
 * const limiters = createRateLimiters({ store: { redis }, perCredential: { points: 600 } });
 * const decision = await limiters.consumeForCredential(budgetKeyOf(principal));
 * if (!decision.allowed) respond429(decision.retryAfterSeconds);
 */
export function createRateLimiters(config: RateLimitersConfig = {}): RateLimiters {
  const perCredential = rule(config.perCredential, DEFAULT_PER_CREDENTIAL, "perCredential");
  const writes = rule(config.writes, DEFAULT_WRITES, "writes");
  const failedAuth = rule(config.failedAuth, DEFAULT_FAILED_AUTH, "failedAuth");
  const keyPrefix = config.keyPrefix ?? "ass:rl";
  const store = config.store ?? "memory";
  const credentialLimiter = limiter(store, `${keyPrefix}:credential`, perCredential);
  const writeLimiter = limiter(store, `${keyPrefix}:writes`, writes);
  const failedAuthLimiter = limiter(store, `${keyPrefix}:failed-auth`, failedAuth);

  return {
    rules: { perCredential, writes, failedAuth },
    consumeForCredential: (budgetKey) =>
      consume(credentialLimiter, perCredential, hashKey("credential", budgetKey)),
    consumeWrite: (budgetKey) => consume(writeLimiter, writes, hashKey("credential", budgetKey)),
    consumeFailedAuth: (clientAddress) =>
      consume(failedAuthLimiter, failedAuth, hashKey("address", clientAddress)),
  };
}

async function consume(
  target: RateLimiterAbstract,
  limits: Required<RateLimitRule>,
  key: string,
): Promise<RateLimitDecision> {
  try {
    const result = await target.consume(key, 1);
    if (result.remainingPoints === 0 && limits.blockSeconds > 0) {
      // Block as soon as the budget is spent, not on the first refused request.
      await target.block(key, limits.blockSeconds);
      return decision(true, limits, 0, limits.blockSeconds * 1000);
    }
    return decision(true, limits, result.remainingPoints, result.msBeforeNext);
  } catch (rejection) {
    // rate-limiter-flexible rejects with a RateLimiterRes when over the limit, and with an Error
    // only when the store (and its insurance limiter) failed.
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return decision(false, limits, 0, rejection.msBeforeNext);
  }
}

function decision(
  allowed: boolean,
  limits: Required<RateLimitRule>,
  remaining: number,
  msBeforeNext: number,
): RateLimitDecision {
  const resetSeconds = Math.max(0, Math.ceil(msBeforeNext / 1000));
  return {
    allowed,
    limit: limits.points,
    remaining: Math.max(0, remaining),
    resetSeconds,
    retryAfterSeconds: Math.max(1, resetSeconds),
  };
}

function limiter(
  store: RateLimitStore,
  keyPrefix: string,
  limits: Required<RateLimitRule>,
): RateLimiterAbstract {
  const options = {
    keyPrefix,
    points: limits.points,
    duration: limits.durationSeconds,
    blockDuration: limits.blockSeconds,
  };
  if (store === "memory") return new RateLimiterMemory(options);
  if (typeof store !== "object" || store === null || typeof store.redis !== "object") {
    throw new TypeError('The rate limit store must be "memory" or { redis: <ioredis client> }');
  }
  return new RateLimiterRedis({
    ...options,
    storeClient: store.redis,
    // Without this, commands queue while Redis reconnects and requests hang; with it, the
    // insurance limiter answers at once.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(options),
  });
}

/**
 * The store key for a caller's budget key or an address: SHA-256, so that a dump of the store never
 * shows a credential (even if a caller passes one unhashed) or a plain address.
 */
function hashKey(kind: "credential" | "address", value: string): string {
  return createHash("sha256")
    .update(`${kind}\0${String(value)}`, "utf8")
    .digest("base64url");
}

function rule(
  given: Partial<RateLimitRule> | undefined,
  fallback: Required<RateLimitRule>,
  name: string,
): Required<RateLimitRule> {
  const merged = { ...fallback, ...given };
  for (const [field, minimum] of [
    ["points", 1],
    ["durationSeconds", 1],
    ["blockSeconds", 0],
  ] as const) {
    const value = merged[field];
    if (!Number.isSafeInteger(value) || value < minimum) {
      throw new RangeError(`${name}.${field} must be a whole number ≥ ${minimum}`);
    }
  }
  return merged;
}
