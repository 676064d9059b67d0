import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { rateLimitedBody, rateLimitHeaders } from "./rate-limit-response.js";
import {
  createRateLimiters,
  type RateLimitDecision,
  type RateLimiters,
  type RateLimitersConfig,
} from "./rate-limiters.js";

/** Options of {@link rateLimitPlugin}: the limiters' configuration plus how to find the client. */
export type RateLimitPluginOptions = RateLimitersConfig & {
  /**
   * The client address that failed authentications are counted against.
   * @default (request) => request.ip (which honours X-Forwarded-For only from Fastify's
   * `trustProxy`)
   */
  keyFor?: (request: FastifyRequest) => string;
};

/**
 * What the plugin adds as `app.rateLimits`. Each function sets the `RateLimit-*` headers; when the
 * request is over its budget it also sends the `429` (with `Retry-After` and the `RATE_LIMITED`
 * body), and the caller must then stop: `return reply` from the hook.
 */
export type RateLimitHandle = {
  /**
   * Counts a request by an authenticated caller (its budget key: see `budgetKeyOf`), and, for a
   * write or token mint (any method but GET, HEAD and OPTIONS, and no broker call), against
   * its write budget too;
   * call after authentication succeeds.
   */
  consumeForCredential(
    request: FastifyRequest,
    reply: FastifyReply,
    budgetKey: string,
  ): Promise<RateLimitDecision>;
  /**
   * Counts a failed authentication against the client address; call when it fails, never
   * before authenticating: a valid credential is never refused by this budget. Once the address
   * spent it, every further failure gets the same 429, whatever the bad credential was.
   */
  consumeFailedAuth(request: FastifyRequest, reply: FastifyReply): Promise<RateLimitDecision>;
  /** The underlying limiters. */
  limiters: RateLimiters;
};

declare module "fastify" {
  interface FastifyInstance {
    /** Rate limits per credential and per address (see `rateLimitPlugin`). */
    rateLimits: RateLimitHandle;
  }
}

/** Methods that only read: counted against `perCredential` alone, never against `writes`. */
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request spends the write budget too: any method but a reading one, except a call
 * through the credential broker (`/v1/broker/…`), which is a token use and writes nothing of the
 * vault's whatever its method.
 */
function spendsWriteBudget(request: FastifyRequest): boolean {
  return !READ_METHODS.has(request.method) && !request.url.startsWith("/v1/broker/");
}

async function registerRateLimits(
  app: FastifyInstance,
  options: RateLimitPluginOptions,
): Promise<void> {
  const { keyFor = (request: FastifyRequest) => request.ip, ...config } = options;
  const limiters = createRateLimiters(config);
  const addressOf = (request: FastifyRequest) => keyFor(request) || "unknown";

  function answer(
    reply: FastifyReply,
    decision: RateLimitDecision,
    what: "credential" | "writes" | "failed-auth",
  ): RateLimitDecision {
    reply.headers(rateLimitHeaders(decision));
    if (!decision.allowed) reply.code(429).send(rateLimitedBody(decision, what));
    return decision;
  }

  const handle: RateLimitHandle = {
    limiters,
    async consumeForCredential(request, reply, budgetKey) {
      const decision = answer(reply, await limiters.consumeForCredential(budgetKey), "credential");
      if (!decision.allowed || !spendsWriteBudget(request)) return decision;
      // A write shows the smaller budget's headers, which it is closer to spending.
      return answer(reply, await limiters.consumeWrite(budgetKey), "writes");
    },
    async consumeFailedAuth(request, reply) {
      return answer(reply, await limiters.consumeFailedAuth(addressOf(request)), "failed-auth");
    },
  };
  app.decorate("rateLimits", handle);
}

/**
 * A Fastify plugin adding `app.rateLimits` (see {@link RateLimitHandle}), built on
 * rate-limiter-flexible: per-caller budgets (all requests, and writes), failed-authentication
 * budgets per client address, in memory or shared through Redis. It is not encapsulated (like fastify-plugin's
 * plugins), so the decoration is visible to the app that registers it.
 *
 * @example
 * await app.register(rateLimitPlugin, { store: { redis }, perCredential: { points: 600 } });
 * app.addHook("preHandler", async (request, reply) => {
 *   const principal = await authenticate(request);
 *   if (principal === null) {
 *     if (!(await app.rateLimits.consumeFailedAuth(request, reply)).allowed) return reply;
 *     throw unauthorized();
 *   }
 *   const decision = await app.rateLimits.consumeForCredential(request, reply, budgetKeyOf(principal));
 *   if (!decision.allowed) return reply;
 * });
 */
export const rateLimitPlugin = Object.assign(registerRateLimits, {
  [Symbol.for("skip-override")]: true,
  [Symbol.for("fastify.display-name")]: "ass-rate-limit",
});
