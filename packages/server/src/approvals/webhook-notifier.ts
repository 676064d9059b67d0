import { randomUUID } from "node:crypto";
import { type RetryBackoffOptions, retryDelayMs } from "./retry-backoff.js";
import { type WebhookEvent, type WebhookEventType, webhookBody } from "./webhook-event.js";
import { signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from "./webhook-signature.js";

/** Where the notifier reports trouble; pino and Fastify loggers fit. */
export type WebhookLogger = {
  warn(details: Record<string, unknown>, message: string): void;
  debug?(details: Record<string, unknown>, message: string): void;
};

/** Options of {@link createWebhookNotifier}. */
export type WebhookNotifierOptions = {
  /** The receiver, `http:` or `https:`. Only its origin ever appears in a log line. */
  url: string | URL;
  /** The HMAC-SHA-256 signing secret shared with the receiver; at least 16 characters. */
  secret: string;
  /**
   * The fetch to send with.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * How many times a failed delivery is retried (network error, timeout or non-2xx answer).
   * @default 5
   */
  retries?: number;
  /** Delays between attempts. @default { baseMs: 500, capMs: 30000, jitter: true } */
  backoff?: RetryBackoffOptions;
  /**
   * How long one attempt may take before it counts as failed, in milliseconds.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * How many deliveries may wait or be in flight; events beyond that are dropped with a warning,
   * so a dead receiver cannot grow memory without bound.
   * @default 1000
   */
  maxQueueSize?: number;
  /**
   * How many deliveries are in flight at once.
   * @default 4
   */
  concurrency?: number;
  /**
   * Where warnings go (a delivery given up, an event dropped). Never given the secret.
   * @default a logger that discards everything
   */
  logger?: WebhookLogger;
  /**
   * The clock, for signature timestamps and `created_at`.
   * @default () => new Date()
   */
  now?: () => Date;
};

/** Sends approval notifications in the background. */
export type WebhookNotifier = {
  /**
   * Queues an event and returns at once. Never throws and never waits on the network: failures
   * are retried, then logged.
   */
  notify(event: WebhookEvent): void;
  /** Resolves once every queued event has been delivered or given up on. */
  flush(): Promise<void>;
  /**
   * Stops taking events, waits up to `timeoutMs` for queued ones, then abandons the rest (logged)
   * and resolves.
   */
  close(options?: {
    /** @default 5000 (milliseconds) */
    timeoutMs?: number;
  }): Promise<void>;
  /** Events waiting or in flight. */
  readonly pending: number;
};

type Delivery = { id: string; type: WebhookEventType; body: string };
type AttemptFailure = { status: number } | { error: string };

const NO_LOGGER: WebhookLogger = { warn() {} };
const MIN_SECRET_LENGTH = 16;

/**
 * A fire-and-forget webhook sender for approval events. Each delivery is a `POST` of JSON with
 * `x-ass-event`, `x-ass-delivery` (a unique id, the same on every retry) and `x-ass-signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA-256(secret, "<t>.<raw body>")>`, signed afresh per attempt;
 * receivers check it with `verifyWebhookSignature`. Redirects are not followed.
 *
 * @throws {TypeError | RangeError} for a URL that is not http(s), a short secret or a bad number.
 * @example
 * const notifier = createWebhookNotifier({ url, secret, logger: app.log });
 * notifier.notify({ type: "approval.requested", approval: toApprovalResponse(record) });
 * app.addHook("onClose", () => notifier.close());
 */
export function createWebhookNotifier(options: WebhookNotifierOptions): WebhookNotifier {
  const url = receiverUrl(options.url);
  if (typeof options.secret !== "string" || options.secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`The webhook secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const secret = options.secret;
  const send = options.fetch ?? globalThis.fetch;
  const retries = count(options.retries, 5, 0, "retries");
  const timeoutMs = count(options.timeoutMs, 10_000, 1, "timeoutMs");
  const maxQueueSize = count(options.maxQueueSize, 1000, 1, "maxQueueSize");
  const concurrency = count(options.concurrency, 4, 1, "concurrency");
  const backoff = options.backoff ?? {};
  const logger = options.logger ?? NO_LOGGER;
  const now = options.now ?? (() => new Date());
  const destination = url.origin;

  const queue: Delivery[] = [];
  let active = 0;
  let closed = false;
  const idleWaiters: (() => void)[] = [];
  const shutdown = new AbortController();

  function warn(details: Record<string, unknown>, message: string): void {
    try {
      logger.warn({ destination, ...details }, message);
    } catch {
      // A broken logger must not turn a notification into the caller's error.
    }
  }

  function debug(details: Record<string, unknown>, message: string): void {
    try {
      logger.debug?.({ destination, ...details }, message);
    } catch {
      // As for warn(): logging trouble stays here.
    }
  }

  function flush(): Promise<void> {
    if (queue.length === 0 && active === 0) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  function settleIfIdle(): void {
    if (queue.length > 0 || active > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  function pump(): void {
    while (active < concurrency && queue.length > 0) {
      const delivery = queue.shift()!;
      active += 1;
      deliver(delivery)
        .catch(() => undefined)
        .finally(() => {
          active -= 1;
          pump();
          settleIfIdle();
        });
    }
  }

  async function attempt(delivery: Delivery): Promise<AttemptFailure | null> {
    const timestamp = Math.floor(now().getTime() / 1000);
    try {
      const response = await send(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "agentsecretstore-webhooks/1",
          "x-ass-event": delivery.type,
          "x-ass-delivery": delivery.id,
          [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(secret, delivery.body, timestamp),
        },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), shutdown.signal]),
      });
      // Free the connection; the receiver's answer text is not needed.
      await response.body?.cancel().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? null : { status: response.status };
    } catch (error) {
      return { error: failureCode(error) };
    }
  }

  async function deliver(delivery: Delivery): Promise<void> {
    let failure: AttemptFailure | null = null;
    for (let attemptNumber = 1; attemptNumber <= retries + 1; attemptNumber += 1) {
      if (shutdown.signal.aborted) break;
      failure = await attempt(delivery);
      if (failure === null) return;
      const details = { delivery_id: delivery.id, event: delivery.type, attempt: attemptNumber };
      debug({ ...details, ...failure }, "Webhook delivery attempt failed");
      if (attemptNumber <= retries) await sleep(retryDelayMs(attemptNumber, backoff), shutdown);
    }
    warn(
      { delivery_id: delivery.id, event: delivery.type, retries, ...failure },
      shutdown.signal.aborted
        ? "Webhook delivery abandoned at shutdown"
        : "Webhook delivery failed after every retry; giving up",
    );
  }

  return {
    notify(event: WebhookEvent): void {
      try {
        if (closed) {
          warn({ event: event?.type }, "Webhook notifier is closed; event dropped");
          return;
        }
        if (queue.length + active >= maxQueueSize) {
          warn(
            { event: event?.type, max_queue_size: maxQueueSize },
            "Webhook queue full; event dropped",
          );
          return;
        }
        const id = `whd_${randomUUID()}`;
        const body = JSON.stringify(webhookBody(event, id, now()));
        queue.push({ id, type: event.type, body });
        // Start sending on a later tick, so that no fetch (or its failure) runs inside notify().
        queueMicrotask(pump);
      } catch {
        warn({}, "Webhook event could not be queued: not a valid approval event");
      }
    },
    flush,
    async close(closeOptions = {}): Promise<void> {
      closed = true;
      const graceMs = count(closeOptions.timeoutMs, 5000, 0, "timeoutMs");
      const idle = flush();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), graceMs);
      });
      const result = await Promise.race([idle, timeout]);
      clearTimeout(timer);
      if (result !== "timeout") return;
      const abandoned = queue.splice(0);
      for (const delivery of abandoned) {
        warn(
          { delivery_id: delivery.id, event: delivery.type },
          "Webhook delivery abandoned at shutdown",
        );
      }
      shutdown.abort();
      settleIfIdle();
      await flush();
    },
    get pending(): number {
      return queue.length + active;
    },
  };
}

function receiverUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new TypeError("The webhook url must be an absolute http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("The webhook url must use http: or https:");
  }
  return url;
}

function count(value: number | undefined, fallback: number, minimum: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`${name} must be a whole number ≥ ${minimum}`);
  }
  return value;
}

/** A short, safe name for a failure: an error code such as ECONNREFUSED, never a message. */
function failureCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  if (error instanceof Error) return error.name;
  return "unknown";
}

function sleep(milliseconds: number, shutdown: AbortController): Promise<void> {
  return new Promise((resolve) => {
    if (shutdown.signal.aborted) return resolve();
    const timer = setTimeout(done, milliseconds);
    // Waiting to retry a webhook is no reason to keep the process alive.
    timer.unref?.();
    shutdown.signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      shutdown.signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
