import type { lookup as dnsLookup } from "node:dns";
import { type RetryBackoffOptions, retryDelayMs } from "../approvals/retry-backoff.js";
import { generateId } from "../crypto/credentials.js";
import type { OutboxEvent, WebhookStore } from "../store/webhook-store.js";
import { type SendResult, sendWebhook, type WebhookDestination } from "./send-webhook.js";

/** Where the deliverer reports trouble; never given a secret, a body or a receiver's answer. */
export type DelivererLogger = {
  warn(details: Record<string, unknown>, message: string): void;
};

/** Settings of {@link OutboxDeliverer}; every duration in milliseconds. */
export type OutboxDelivererOptions = {
  store: WebhookStore;
  /** The receiver of a tenant's events: its own webhook, else the operator's; null for none. */
  destinationFor(tenantId: string): Promise<WebhookDestination | null>;
  logger: DelivererLogger;
  /** Retries after the first attempt before an event is given up on. */
  retries: number;
  /** An event is given up on once this long has passed since it was committed. */
  giveUpAfterMs: number;
  backoff: RetryBackoffOptions;
  timeoutMs: number;
  /** Delivered events are deleted this long after delivery; failed ones after `failedRetentionMs`. */
  retentionMs: number;
  failedRetentionMs: number;
  /** How often the outbox is looked at without a nudge (other instances' events, retries). */
  pollIntervalMs: number;
  /** Tenants delivered to at once (each tenant has one event in flight at most). */
  concurrency: number;
  /** The delivery clock (scheduling, leases, give-up); real time unless a test sets it. */
  now(): Date;
  /** The DNS resolver (dns.lookup by default), checked by the metadata-address guard. */
  resolve?: typeof dnsLookup;
};

const PRUNE_EVERY_MS = 60_000;
/** A lease outlives an attempt by this much, so that only a dead holder loses it. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Delivers the outbox (one per server instance). Every pass takes each tenant's oldest pending
 * event that is due, claims it with a lease (so two instances never send it at once), sends it,
 * and records the outcome: delivered, retried later with backoff (`next_attempt_at` stored), or
 * given up on (`failed`, kept). A tenant's next event is sent only once the one before it is
 * settled, so each tenant's receiver sees its events in commit order; tenants do not wait for
 * each other. Events survive restarts: they are rows, not memory.
 */
export class OutboxDeliverer {
  private readonly owner = generateId("dlv_");
  private readonly shutdown = new AbortController();
  /** The delivery in flight for each tenant on this instance (one at most). */
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private lastPruneMs = 0;

  constructor(private readonly options: OutboxDelivererOptions) {}

  /** Starts polling, and delivers what earlier runs left undelivered. */
  start(): void {
    this.wake();
  }

  /** Looks for due events soon (an approval change committed). Never throws. */
  wake(): void {
    if (this.closed) return;
    if (this.looking !== null) {
      this.again = true;
      return;
    }
    this.looking = this.look().finally(() => {
      this.looking = null;
      if (this.again) this.wake();
      else this.schedule();
    });
  }

  /**
   * Stops: deliveries due now get up to `graceMs` to finish, then in-flight attempts are
   * abandoned (recorded, retried by the next start). Nothing is dropped: undelivered events
   * stay in the database.
   */
  async close(graceMs = 5000): Promise<void> {
    clearTimeout(this.timer);
    const deadline = Date.now() + graceMs;
    // One more look for what was committed just before close, then no more.
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    });
    const settled = (async () => {
      while (this.looking !== null || this.inFlight.size > 0) {
        await Promise.all([this.looking, ...this.inFlight.values()]);
      }
    })();
    await Promise.race([settled, timeout]);
    this.closed = true;
    this.shutdown.abort();
    clearTimeout(timer);
    await settled;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), this.options.pollIntervalMs);
    this.timer.unref?.();
  }

  /**
   * One look at the outbox: starts a delivery for each tenant whose oldest event is due and that
   * has none in flight here, up to `concurrency` tenants. A delivery that ends looks again, so a
   * tenant's next event follows at once and a slow tenant holds up nobody else.
   */
  private async look(): Promise<void> {
    this.again = false;
    if (this.shutdown.signal.aborted) return;
    try {
      const free = this.options.concurrency - this.inFlight.size;
      if (free > 0) {
        const due = await this.options.store.dueHeads(
          this.nowIso(),
          this.options.concurrency + this.inFlight.size,
        );
        for (const event of due) {
          if (this.inFlight.size >= this.options.concurrency) break;
          if (this.inFlight.has(event.tenantId) || this.shutdown.signal.aborted) continue;
          const delivery = this.deliver(event)
            .catch((error: unknown) => {
              this.warn(
                { delivery_id: event.id, code: (error as NodeJS.ErrnoException)?.code },
                "Webhook delivery failed inside the server; retried after the lease",
              );
              return false;
            })
            .then((settled) => {
              this.inFlight.delete(event.tenantId);
              if (settled) this.wake();
            });
          this.inFlight.set(event.tenantId, delivery);
        }
      }
      await this.pruneNow();
    } catch (error) {
      this.warn({ code: (error as NodeJS.ErrnoException)?.code }, "Webhook outbox look failed");
    }
  }

  private async deliver(event: OutboxEvent): Promise<boolean> {
    const { store } = this.options;
    const now = this.options.now();
    const leaseUntil = new Date(now.getTime() + this.options.timeoutMs + LEASE_MARGIN_MS);
    if (!(await store.claim(event.id, this.owner, now.toISOString(), leaseUntil.toISOString()))) {
      return false;
    }
    const destination = await this.options.destinationFor(event.tenantId);
    if (destination === null) {
      await store.giveUp(event.id, this.owner, "no_destination", this.nowIso());
      this.warn(
        { delivery_id: event.id, tenant_id: event.tenantId },
        "Webhook event has no receiver (the tenant's webhook was deleted); given up",
      );
      return true;
    }
    const result = await sendWebhook(destination, event, {
      timeoutMs: this.options.timeoutMs,
      signal: this.shutdown.signal,
      ...(this.options.resolve === undefined ? {} : { resolve: this.options.resolve }),
    });
    await this.record(event, destination, result);
    return true;
  }

  private async record(
    event: OutboxEvent,
    destination: WebhookDestination,
    result: SendResult,
  ): Promise<void> {
    const { store } = this.options;
    const at = this.options.now();
    if (result.ok) {
      await store.recordAttempt(event.id, this.owner, {
        kind: "delivered",
        status: result.status,
        at: at.toISOString(),
      });
      return;
    }
    const attempts = event.attempts + 1;
    const age = at.getTime() - Date.parse(event.createdAt);
    const aborted = result.status === "aborted";
    const giveUp =
      !aborted &&
      (!result.retry || attempts > this.options.retries || age >= this.options.giveUpAfterMs);
    if (giveUp) {
      await store.recordAttempt(event.id, this.owner, {
        kind: "failed",
        status: result.status,
        at: at.toISOString(),
      });
      this.warn(
        {
          delivery_id: event.id,
          tenant_id: event.tenantId,
          destination: destination.url.origin,
          attempts,
          status: result.status,
        },
        "Webhook delivery given up; the event is kept as failed",
      );
      return;
    }
    const delay = aborted ? 0 : retryDelayMs(attempts, this.options.backoff);
    await store.recordAttempt(event.id, this.owner, {
      kind: "retry",
      status: result.status,
      at: at.toISOString(),
      nextAttemptAt: new Date(at.getTime() + delay).toISOString(),
    });
  }

  private async pruneNow(): Promise<void> {
    const nowMs = this.options.now().getTime();
    if (nowMs - this.lastPruneMs < PRUNE_EVERY_MS) return;
    this.lastPruneMs = nowMs;
    await this.options.store.prune(
      new Date(nowMs - this.options.retentionMs).toISOString(),
      new Date(nowMs - this.options.failedRetentionMs).toISOString(),
    );
  }

  private nowIso(): string {
    return this.options.now().toISOString();
  }

  private warn(details: Record<string, unknown>, message: string): void {
    try {
      this.options.logger.warn(details, message);
    } catch {
      // A broken logger must not stop deliveries.
    }
  }
}
