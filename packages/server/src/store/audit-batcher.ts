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
          for (const item of batch) {
            if (item.touch) {
              await stores.secrets.touchAccessed(
                item.touch.tenantId,
                item.touch.secretId,
                item.touch.at,
              );
            }
            await stores.audit.append(item.content);
          }
        });
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.#flushing = false;
  }
}
