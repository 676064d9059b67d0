import type { UnwrapKeys } from "../crypto/envelope.js";
import type { ServerConfig } from "../server-config.js";
import type { WebhookStore } from "../store/webhook-store.js";
import type { WebhookOutbox } from "../vault/webhook-outbox.js";
import { type DelivererLogger, OutboxDeliverer } from "./outbox-deliverer.js";
import { namesRefusedAddress, type WebhookDestination } from "./send-webhook.js";
import { destinationResolver } from "./webhook-destination.js";

const MIN_SECRET_LENGTH = 16;

/**
 * The operator's webhook from the configuration, checked: an http(s) URL that names no
 * link-local or metadata address, and a secret of 16 characters or more.
 *
 * @throws {TypeError} for a configuration that cannot work (before anything is opened).
 */
export function operatorWebhookOf(config: ServerConfig): WebhookDestination | null {
  const webhook = config.approvals?.webhook;
  if (webhook === undefined) return null;
  let url: URL;
  try {
    url = new URL(String(webhook.url));
  } catch {
    throw new TypeError("The webhook url must be an absolute http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("The webhook url must use http: or https:");
  }
  if (namesRefusedAddress(url)) {
    throw new TypeError("The webhook url names a link-local or cloud metadata address");
  }
  if (typeof webhook.secret !== "string" || webhook.secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`The webhook secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return { url, secret: webhook.secret };
}

function count(value: number | undefined, fallback: number, minimum: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < minimum) {
    throw new RangeError(`webhooks.${name} must be a number ≥ ${minimum}`);
  }
  return value;
}

/** The deliverer and the handle services get, from the server's configuration. */
export function createWebhookOutbox(
  config: ServerConfig,
  parts: { store: WebhookStore; keys: UnwrapKeys; logger: DelivererLogger },
): { outbox: WebhookOutbox; deliverer: OutboxDeliverer } {
  const operator = operatorWebhookOf(config);
  const settings = config.webhooks ?? {};
  const legacy = config.approvals?.webhook;
  const now = settings.now ?? (() => new Date());
  const deliverer = new OutboxDeliverer({
    store: parts.store,
    destinationFor: destinationResolver(parts.store, parts.keys, operator),
    logger: parts.logger,
    retries: count(settings.retries ?? legacy?.retries, 50, 0, "retries"),
    giveUpAfterMs: count(settings.giveUpAfterSeconds, 86_400, 0, "giveUpAfterSeconds") * 1000,
    timeoutMs: count(settings.timeoutMs ?? legacy?.timeoutMs, 10_000, 1, "timeoutMs"),
    backoff: { baseMs: 1000, capMs: 300_000, ...settings.backoff },
    retentionMs: count(settings.retentionSeconds, 604_800, 0, "retentionSeconds") * 1000,
    failedRetentionMs:
      count(settings.failedRetentionSeconds, 2_592_000, 0, "failedRetentionSeconds") * 1000,
    pollIntervalMs: count(settings.pollIntervalMs, 1000, 10, "pollIntervalMs"),
    concurrency: Math.floor(count(settings.concurrency, 8, 1, "concurrency")),
    now,
    ...(settings.lookup === undefined ? {} : { resolve: settings.lookup }),
  });
  return {
    deliverer,
    outbox: { operatorConfigured: operator !== null, wake: () => deliverer.wake(), now },
  };
}
