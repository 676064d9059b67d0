import type { FastifyInstance } from "fastify";

/** Headers a browser app may send: credentials, JSON, idempotency. */
const ALLOWED_HEADERS = "authorization, content-type, x-agent-key, idempotency-key, x-request-id";
/** Headers a browser app may read beyond the CORS-safelisted ones. */
const EXPOSED_HEADERS =
  "x-request-id, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset, etag";
const ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
/** How long a browser may reuse a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for an explicit allowlist of origins (Fetch standard, "CORS protocol"). With no origins
 * (the default) nothing is added: browsers keep other sites from reading the API. An allowed
 * origin gets `Access-Control-Allow-Origin` on every answer and its preflights (`OPTIONS` with
 * `Access-Control-Request-Method`) answered 204; any other origin gets no CORS header at all.
 * Credentials travel in the `Authorization` header, never in cookies, so
 * `Access-Control-Allow-Credentials` is never sent.
 */
export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  app.addHook("onRequest", async (request, reply) => {
    const origin = request.headers.origin;
    reply.header("vary", "Origin");
    if (origin === undefined || !allowed.has(origin)) return;
    reply.header("access-control-allow-origin", origin);
    reply.header("access-control-expose-headers", EXPOSED_HEADERS);
  });
  app.options("/v1/*", { schema: { hide: true } }, async (request, reply) => {
    const origin = request.headers.origin;
    if (
      origin !== undefined &&
      allowed.has(origin) &&
      request.headers["access-control-request-method"]
    ) {
      reply.header("access-control-allow-methods", ALLOWED_METHODS);
      reply.header("access-control-allow-headers", ALLOWED_HEADERS);
      reply.header("access-control-max-age", String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    return reply.code(204).send();
  });
}
