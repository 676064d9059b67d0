import { loadSettledApproval } from "./approval-decisions.js";
import type { ApprovalView } from "./approval-view.js";
import type { VaultContext } from "./vault-context.js";

/**
 * Holds a long-poll (`?wait=N`) while the request is pending: it answers as soon as an
 * `ApprovalEvents` change arrives (a decision on this instance wakes it at once), when a critical
 * delay ends, when `waitSeconds` pass, when the server starts closing, or when `hangUp` aborts
 * (the client went away: nobody would read the answer).
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
      // The database is looked at anyway now and then: a decision made by another instance
      // arrives through it even when no event carries it across.
      let sleepMs = Math.min(remaining, context.approvalRecheckMs);
      if (current.record.eligibleAt !== null) {
        // The server's clock decides when a delay ends; wake then (plus a millisecond, so the
        // re-read sees it as past).
        const untilEligible = Date.parse(current.record.eligibleAt) - context.now().getTime();
        sleepMs = Math.max(0, Math.min(sleepMs, untilEligible + 1));
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
