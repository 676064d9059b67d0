import { TIERS } from "@agentsecretstore/protocol";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { Tier } from "../db/schema.js";
import { RequestMetrics } from "./request-metrics.js";

/** What `/metrics` shows, and how the server feeds it. Labels never carry paths or credentials. */
export type VaultMetrics = {
  /** Counts a finished request: `route` is the route's template (`/v1/secrets/*`), never the URL. */
  observeRequest(
    request: { method: string; route: string; statusCode: number },
    seconds: number,
  ): void;
  /**
   * Counts an attempt to consume a token use: consumed, or refused because the token ran out,
   * expired or was revoked after it authenticated (it lost a race with another request).
   */
  countTokenUse(consumed: boolean): void;
  /** A long-poll starts waiting for an approval decision; call the returned function when it ends. */
  trackLongPoll(): () => void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<{ contentType: string; body: string }>;
};

/** Options of {@link createVaultMetrics}. */
export type VaultMetricsOptions = {
  /** The operator tenant's pending approval requests per tier, read on each scrape. */
  pendingApprovals: () => Promise<{ tier: Tier; count: number }[]>;
  /** The operator tenant's webhook events in the outbox by state, read on each scrape. */
  webhookEvents?: () => Promise<Record<"pending" | "delivered" | "failed", number>>;
  /**
   * Add the process metrics of prom-client (CPU, memory, event loop lag, handles).
   * @default true
   */
  processMetrics?: boolean;
};

/**
 * Process metrics belong to the process, not to one app: one registry, created at the first
 * scrape (its event-loop monitor then runs for the life of the process), shared by every app.
 */
let processRegistry: Registry | undefined;
function sharedProcessRegistry(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The vault's Prometheus metrics (prom-client), in a registry of their own so that several apps
 * in one process (tests, embedding) do not share counts:
 * `ass_http_requests_total` and `ass_http_request_duration_seconds` by method, route and status,
 * `ass_token_uses_total` by outcome, the `ass_approvals_pending` gauge of the operator's tenant
 * by tier (computed on scrape from the database, so every instance reports the shared truth;
 * other tenants' requests are never counted, so no tenant's figures reach another), the
 * `ass_webhook_events` of the operator's tenant's outbox by state (the same rule), and the
 * `ass_approval_long_polls` waiting on this instance.
 */
export function createVaultMetrics(options: VaultMetricsOptions): VaultMetrics {
  const registry = new Registry();
  const requests = new RequestMetrics(registry);
  const tokenUses = new Counter({
    name: "ass_token_uses_total",
    help: "Scoped token uses: consumed, or refused at the last moment (used up, expired or revoked by a racing request)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "ass_approvals_pending",
    help: "Approval requests of the operator's tenant waiting for a decision, by tier",
    labelNames: ["tier"] as const,
    registers: [registry],
    async collect() {
      const counts = new Map((await options.pendingApprovals()).map((row) => [row.tier, row]));
      for (const tier of TIERS) this.set({ tier }, counts.get(tier)?.count ?? 0);
    },
  });
  const webhookEvents = options.webhookEvents;
  if (webhookEvents !== undefined) {
    new Gauge({
      name: "ass_webhook_events",
      help: "Webhook events of the operator's tenant in the outbox, by state (pending, delivered within the retention, failed)",
      labelNames: ["state"] as const,
      registers: [registry],
      async collect() {
        const counts = await webhookEvents();
        for (const state of ["pending", "delivered", "failed"] as const) {
          this.set({ state }, counts[state]);
        }
      },
    });
  }
  const longPolls = new Gauge({
    name: "ass_approval_long_polls",
    help: "Long-polls (GET /v1/approvals/{id}?wait=) waiting on this instance for a decision",
    registers: [registry],
  });
  for (const outcome of ["consumed", "refused"]) tokenUses.inc({ outcome }, 0);

  return {
    observeRequest(request, seconds) {
      requests.observe(request.method, request.route, request.statusCode, seconds);
    },
    countTokenUse(consumed) {
      tokenUses.inc({ outcome: consumed ? "consumed" : "refused" });
    },
    trackLongPoll() {
      longPolls.inc();
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        longPolls.dec();
      };
    },
    async render() {
      const source =
        options.processMetrics === false
          ? registry
          : Registry.merge([registry, sharedProcessRegistry()]);
      return { contentType: registry.contentType, body: await source.metrics() };
    },
  };
}
