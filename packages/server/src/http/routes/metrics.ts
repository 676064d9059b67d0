import { createHash, timingSafeEqual } from "node:crypto";
import { hashCredential, hashesEqual } from "../../crypto/credentials.js";
import type { VaultMetrics } from "../../metrics/vault-metrics.js";
import { VaultError } from "../../vault/vault-error.js";
import type { VaultApp } from "../vault-app.js";

/**
 * Who may scrape `/metrics`: anyone (`public`), the holder of a token set in the configuration
 * (`configured`), or, by default, the holder of the metrics token made at first start, of which
 * the database keeps a keyed hash (`stored`).
 */
export type MetricsAccess =
  | { kind: "public" }
  | { kind: "configured"; token: string }
  | {
      kind: "stored";
      /** The stored hash; undefined on a vault created before metrics tokens existed. */
      findHash: () => Promise<string | undefined>;
      credentialHmacKey: Buffer;
    };

/** Options of {@link registerMetricsRoute}. */
export type MetricsRouteOptions = { metrics: VaultMetrics; access: MetricsAccess };

const BEARER = "Bearer ";

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function missingToken(): VaultError {
  return new VaultError(
    "UNAUTHORIZED",
    "Scraping /metrics needs 'Authorization: Bearer <metrics token>': the ASS_METRICS_TOKEN printed at first start (and written to --keys-file), or the metrics.token of the configuration",
  );
}

/** A check of the `Authorization` header for `access`: resolves, or throws 401. */
function metricsAuthorizer(access: MetricsAccess): (header: string) => Promise<void> {
  if (access.kind === "public") return async () => undefined;
  if (access.kind === "configured") {
    // Compared as digests: equal lengths for timingSafeEqual, and no early exit on a prefix.
    const expected = digest(`${BEARER}${access.token}`);
    return async (header) => {
      if (!timingSafeEqual(digest(header), expected)) throw missingToken();
    };
  }
  let known: string | undefined; // the stored hash never changes once made: read it once
  return async (header) => {
    known ??= await access.findHash();
    if (known === undefined) {
      throw new VaultError(
        "UNAUTHORIZED",
        "This vault has no metrics token (it was created before they existed): set metrics.token (ASS_METRICS_TOKEN) to a token of your own, or metrics.public (ASS_METRICS_PUBLIC=true) to serve /metrics without one",
      );
    }
    const given = header.startsWith(BEARER) ? header.slice(BEARER.length) : "";
    if (!hashesEqual(hashCredential(access.credentialHmacKey, given), known)) throw missingToken();
  };
}

/**
 * `GET /metrics`: Prometheus text, outside the API (`/v1`), so not in the OpenAPI document and not
 * rate limited; it asks for the metrics token unless the metrics are public. It shows counts and
 * latencies by route template only: no paths, ids or credentials, and of the tenants' figures
 * only the operator's tenant's.
 */
export function registerMetricsRoute(app: VaultApp, options: MetricsRouteOptions): void {
  const authorize = metricsAuthorizer(options.access);
  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    await authorize(String(request.headers.authorization ?? ""));
    const { contentType, body } = await options.metrics.render();
    return reply.type(contentType).send(body);
  });
}
