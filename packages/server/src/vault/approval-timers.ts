/** setTimeout's longest delay; a later moment is reached in several hops. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * One timer per critical request waiting out its delay, firing at its `eligible_at` (on the
 * server's clock) to settle it, so that long-polls wake and the webhook hears of it on time even
 * if nobody reads the request. Timers never keep the process alive; `close()` clears them. After a
 * restart, reads and listings settle such requests instead.
 */
export class ApprovalTimers {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;

  /**
   * @param now the server's clock
   * @param settle brings the request up to date; re-arms the timer itself while still pending
   */
  constructor(
    private readonly now: () => Date,
    private readonly settle: (tenantId: string, approvalId: string) => Promise<void>,
  ) {}

  /** Arms (or re-arms) the request's timer for `at`. */
  schedule(tenantId: string, approvalId: string, at: Date): void {
    if (this.#closed) return;
    const key = `${tenantId}\u0000${approvalId}`;
    clearTimeout(this.#timers.get(key));
    // One millisecond late, so that the settlement sees the moment as past.
    const delayMs = Math.min(MAX_TIMER_MS, Math.max(0, at.getTime() - this.now().getTime() + 1));
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      if (!this.#closed) void this.settle(tenantId, approvalId);
    }, delayMs);
    timer.unref();
    this.#timers.set(key, timer);
  }

  /** How many timers are armed. */
  get size(): number {
    return this.#timers.size;
  }

  /** Clears every timer; later `schedule` calls do nothing. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
