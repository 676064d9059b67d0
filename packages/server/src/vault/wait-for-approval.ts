import { loadSettledApproval } from "./approval-decisions.js";
import type { ApprovalView } from "./approval-view.js";
import type { VaultContext } from "./vault-context.js";

/** Milliseconds from now until an ISO instant of the server's clock (plus one, so a re-read sees it past). */
function msUntil(context: VaultContext, at: string | null): number {
  if (at === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, Date.parse(at) - context.now().getTime() + 1);
}

/**
 * Holds a long-poll (`?wait=N`) while the request is pending: it answers as soon as an
 * `ApprovalEvents` change arrives (a decision on this instance wakes it at once), when a critical
 * delay ends or the request expires, when `waitSeconds` pass, when the server starts closing, or
 * when `hangUp` aborts (the client went away: nobody would read the answer).
 *
 * While the change feed is live (`ApprovalEvents.isLive`) an idle waiter costs no database work:
 * it reads only when woken. Otherwise (a feed that cannot say, or PostgreSQL's LISTEN connection
 * down) it also re-reads every `approvalRecheckMs`, so a lost change makes an answer late, never
 * wrong; the feed wakes every waiter when it goes down or comes back.
 */
export async function waitForApprovalChange(
  context: VaultContext,
  view: ApprovalView,
  waitSeconds: number,
  hangUp?: AbortSignal,
): Promise<ApprovalView> {
  if (waitSeconds <= 0 || view.record.status !== "pending") return view;
  const stop = hangUp === undefined ? context.closing : AbortSignal.any([context.closing, hangUp]);
  const { tenantId, id } = view.record;
  const deadline = Date.now() + waitSeconds * 1000;
  let changed = false;
  let wake: (() => void) | undefined;
  const unsubscribe = context.approvalEvents.subscribe(tenantId, id, () => {
    changed = true;
    wake?.();
  });
  const ended = context.metrics.trackLongPoll();
  try {
    let current = view;
    for (;;) {
      // A closing server answers with what it last read: its database is closing too.
      if (stop.aborted) return current;
      // Read after subscribing, so that a decision landing in between is seen either way.
      changed = false;
      try {
        current = (await loadSettledApproval(context, tenantId, id)) ?? current;
      } catch (error) {
        // The database closed under a read begun just before the server started closing.
        if (stop.aborted) return current;
        throw error;
      }
      const remaining = deadline - Date.now();
      if (current.record.status !== "pending" || remaining <= 0 || stop.aborted) {
        return current;
      }
      if (changed) continue;
      // The server's clock decides when a delay ends and when the request expires: wake then.
      let sleepMs = Math.min(
        remaining,
        msUntil(context, current.record.eligibleAt),
        msUntil(context, current.record.expiresAt),
      );
      // Without a live feed the database is looked at now and then: a decision made by another
      // instance arrives through it even when no event carries it across.
      if (context.approvalEvents.isLive?.() !== true) {
        sleepMs = Math.min(sleepMs, context.approvalRecheckMs);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, sleepMs);
        const onStop = () => done();
        stop.addEventListener("abort", onStop, { once: true });
        wake = done;
        function done(): void {
          clearTimeout(timer);
          stop.removeEventListener("abort", onStop);
          wake = undefined;
          resolve();
        }
      });
    }
  } finally {
    ended();
    unsubscribe();
  }
}
