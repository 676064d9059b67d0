import { TransportError } from "./error-status.js";

/** How long a refused long-poll is told to wait before asking again, in seconds. */
export const LONG_POLL_RETRY_AFTER_SECONDS = 5;

/** Why a long-poll was refused a place: its credential's share is taken, or everyone's is. */
export type LongPollRefusal = "credential" | "server";

/** A place held by one waiting long-poll; `release` is idempotent. */
export type LongPollSlot = { release(): void };

/**
 * The long-polls (`GET /v1/approvals/{id}?wait=N`) waiting at once on this instance: at most
 * `perCredential` for one budget (an agent or admin key with every token of its families, as the
 * rate limits count them, so minting children opens no new share) and at most `max` in all. A
 * waiter holds its place until it answers or its client hangs up.
 */
export class LongPollLimits {
  private total = 0;
  private readonly byCredential = new Map<string, number>();

  constructor(
    readonly max: number,
    readonly perCredential: number,
  ) {}

  /** A place for a long-poll of `budgetKey`, or why there is none. */
  acquire(budgetKey: string): LongPollSlot | LongPollRefusal {
    const held = this.byCredential.get(budgetKey) ?? 0;
    if (held >= this.perCredential) return "credential";
    if (this.total >= this.max) return "server";
    this.total += 1;
    this.byCredential.set(budgetKey, held + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total -= 1;
        const left = (this.byCredential.get(budgetKey) ?? 1) - 1;
        if (left === 0) this.byCredential.delete(budgetKey);
        else this.byCredential.set(budgetKey, left);
      },
    };
  }
}

/**
 * The answer to a long-poll refused a place: 429 when its credential already has its share
 * waiting, 503 when the whole instance has; both with `Retry-After` and `retry_after`.
 */
export function longPollRefused(refusal: LongPollRefusal, limits: LongPollLimits): TransportError {
  const seconds = LONG_POLL_RETRY_AFTER_SECONDS;
  return refusal === "credential"
    ? new TransportError(
        429,
        "RATE_LIMITED",
        `This credential already has ${limits.perCredential} long-polls waiting (limits.max_long_polls_per_credential): retry after ${seconds} seconds, or ask without ?wait=`,
        { retry_after: seconds },
      )
    : new TransportError(
        503,
        "RATE_LIMITED",
        `The server already holds ${limits.max} long-polls (limits.max_long_polls): retry after ${seconds} seconds, or ask without ?wait=`,
        { retry_after: seconds },
      );
}
