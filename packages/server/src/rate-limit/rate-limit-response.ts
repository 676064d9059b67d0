import type { RateLimitDecision } from "./rate-limiters.js";

/**
 * The headers for a decision: `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
 * (seconds), as in the IETF httpapi "RateLimit header fields" draft, on every answer; plus
 * `Retry-After` in seconds (RFC 9110 §10.2.3) when the request is refused.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "ratelimit-limit": String(decision.limit),
    "ratelimit-remaining": String(decision.remaining),
    "ratelimit-reset": String(decision.resetSeconds),
  };
  if (!decision.allowed) headers["retry-after"] = String(decision.retryAfterSeconds);
  return headers;
}

/**
 * The `429` body of docs/protocol.md: `{"error": {"code": "RATE_LIMITED", "message",
 * "retry_after"}, "detail": message}` (`detail` as on every error, for clients that read only it).
 */
export function rateLimitedBody(
  decision: RateLimitDecision,
  what: "credential" | "writes" | "failed-auth",
): {
  error: { code: "RATE_LIMITED"; message: string; retry_after: number };
  detail: string;
} {
  const seconds = decision.retryAfterSeconds;
  const message = {
    credential: `Too many requests with this credential: retry after ${seconds} seconds`,
    writes: `Too many writes or token mints with this credential: retry after ${seconds} seconds (reads are not affected)`,
    "failed-auth": `Too many failed authentication attempts from this address: retry after ${seconds} seconds`,
  }[what];
  return { error: { code: "RATE_LIMITED", message, retry_after: seconds }, detail: message };
}
