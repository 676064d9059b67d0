import type { AuditEventContent } from "../audit/hash-chain.js";
import type { DataAccess } from "./stores.js";

type Pending = {
  content: AuditEventContent;
  touch: { tenantId: string; secretId: string; at: string } | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
};

/**
 * Group commit for events that change nothing else (reads, denials, failed logins): events
 * queued while a commit is running go into the next one, so concurrent requests share one
 * durable commit (one fsync) instead of paying one each. Every caller waits for the commit
 * that holds its event, so a read is answered only once its audit event is on disk.
 */
export class AuditBatcher {
  #queue: Pending[] = [];
  #flushing = false;

  constructor(
    private readonly data: DataAccess,
    private readonly maxBatch = 500,
  ) {}

  /** Appends the event (and marks the secret accessed), resolving once it is committed. */
  append(
    content: AuditEventContent,
    touch?: { tenantId: string; secretId: string; at: string },
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ content, touch, resolve, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch);
      try {
        await this.data.transaction(async (stores) => {
          // Row locks first, in one order, and the chain head last: a batch never holds the head
          // while it waits for a secret's row that another instance's write holds (a deadlock).
          for (const touch of latestTouches(batch)) {
            await stores.secrets.touchAccessed(touch.tenantId, touch.secretId, touch.at);
          }
          await stores.audit.appendMany(batch.map((item) => item.content));
        });
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.#flushing = false;
  }
}

/** One touch per secret (the latest time), ordered by tenant and secret id. */
function latestTouches(batch: readonly Pending[]): NonNullable<Pending["touch"]>[] {
  const latest = new Map<string, NonNullable<Pending["touch"]>>();
  for (const { touch } of batch) {
    if (touch === undefined) continue;
    const key = `${touch.tenantId}\u0000${touch.secretId}`;
    const seen = latest.get(key);
    if (seen === undefined || seen.at < touch.at) latest.set(key, touch);
  }
  return [...latest.entries()]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([, touch]) => touch);
}
