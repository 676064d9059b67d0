import { createHash, timingSafeEqual } from "node:crypto";
import type { VaultMetrics } from "../../metrics/vault-metrics.js";
import { VaultError } from "../../vault/vault-error.js";
import type { VaultApp } from "../vault-app.js";

/** Options of {@link registerMetricsRoute}. */
export type MetricsRouteOptions = {
  metrics: VaultMetrics;
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  token: string | undefined;
};

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * `GET /metrics`: Prometheus text, outside the API (`/v1`), so not in the OpenAPI document, not
 * rate limited and, unless a token is configured, not authenticated. It shows counts and
 * latencies by route template only: no paths, ids or credentials.
 */
export function registerMetricsRoute(app: VaultApp, options: MetricsRouteOptions): void {
  // Compared as digests: equal lengths for timingSafeEqual, and no early exit on a prefix.
  const expected = options.token === undefined ? undefined : digest(`Bearer ${options.token}`);
  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    if (expected !== undefined) {
      const given = digest(String(request.headers.authorization ?? ""));
      if (!timingSafeEqual(given, expected)) {
        throw new VaultError(
          "UNAUTHORIZED",
          "Scraping /metrics needs 'Authorization: Bearer <metrics token>' (ASS_METRICS_TOKEN)",
        );
      }
    }
    const { contentType, body } = await options.metrics.render();
    return reply.type(contentType).send(body);
  });
}
