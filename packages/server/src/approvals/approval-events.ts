import type { ApprovalStatus } from "./approval-policy.js";

/** An approval request changed: a person decided it, or its time came (delay over, expired). */
export type ApprovalChange = {
  tenantId: string;
  approvalId: string;
  /** The stored status after the change (`pending` after an approval that needs company). */
  status: ApprovalStatus;
};

/** Called for each change of the approval request it subscribed to. Must not throw. */
export type ApprovalChangeListener = (change: ApprovalChange) => void;

/**
 * How the server wakes long-polls (`GET /v1/approvals/{id}?wait=N`) when a decision lands. The
 * default lives in one process; an implementation over PostgreSQL `LISTEN/NOTIFY` or Redis pub/sub
 * can carry changes between instances. Delivery is best effort: a waiter also re-reads the request
 * now and then, so a lost message only makes an answer late, never wrong.
 */
export type ApprovalEvents = {
  /** Announces a change that has been committed. Never throws; never waits on the network. */
  publish(change: ApprovalChange): void;
  /** Calls `listener` for each later change of one request; returns the unsubscribe function. */
  subscribe(tenantId: string, approvalId: string, listener: ApprovalChangeListener): () => void;
  /**
   * Calls `listener` for each later change of any request of one tenant (new requests included):
   * the console's live list. Optional, so that older custom implementations still fit; without
   * it the console re-reads the list every few seconds instead.
   */
  subscribeTenant?(tenantId: string, listener: ApprovalChangeListener): () => void;
  /**
   * Whether every committed change reaches the listeners now: then a waiting long-poll does no
   * database work until woken. Optional: without it (or while it says false) waiters also re-read
   * every few seconds. An implementation that says true must wake every listener (with its
   * request's id and status `pending`) whenever it stops or starts being live, so that waiters
   * re-read what they may have missed.
   */
  isLive?(): boolean;
  /** Releases connections; called when the server closes. */
  close?(): void | Promise<void>;
};

/** {@link ApprovalEvents} inside one process, plus a way to wake everyone. */
export type InProcessApprovalEvents = ApprovalEvents & {
  /** Wakes every listener once (status `pending`), so that each re-reads its request. */
  wakeAll(): void;
};

/**
 * Approval change events inside one process: what a single server instance needs, and always
 * live (every change this process commits is published). Listeners are kept per request, so a
 * publish costs nothing when nobody waits on that request.
 *
 * @example
 * const events = createInProcessApprovalEvents();
 * const stop = events.subscribe(tenantId, approvalId, () => wake());
 * events.publish({ tenantId, approvalId, status: "approved" });
 * stop();
 */
export function createInProcessApprovalEvents(): InProcessApprovalEvents {
  const listeners = new Map<string, Set<ApprovalChangeListener>>();
  const keyOf = (tenantId: string, approvalId: string) => `${tenantId}\u0000${approvalId}`;
  // A tenant's whole feed lives under the key of an empty approval id (ids are never empty).
  const tenantKeyOf = (tenantId: string) => keyOf(tenantId, "");
  function notify(key: string, change: ApprovalChange): void {
    const waiting = listeners.get(key);
    if (waiting === undefined) return;
    for (const listener of [...waiting]) {
      try {
        listener(change);
      } catch {
        // One broken listener must not keep the others (or the decision) from going on.
      }
    }
  }
  function add(key: string, listener: ApprovalChangeListener): () => void {
    let waiting = listeners.get(key);
    if (waiting === undefined) {
      waiting = new Set();
      listeners.set(key, waiting);
    }
    // A wrapper per subscription, so the same function subscribed twice unsubscribes once each.
    const entry: ApprovalChangeListener = (change) => listener(change);
    waiting.add(entry);
    return () => {
      const current = listeners.get(key);
      if (current === undefined) return;
      current.delete(entry);
      if (current.size === 0) listeners.delete(key);
    };
  }
  return {
    publish(change) {
      notify(keyOf(change.tenantId, change.approvalId), change);
      notify(tenantKeyOf(change.tenantId), change);
    },
    subscribe: (tenantId, approvalId, listener) => add(keyOf(tenantId, approvalId), listener),
    subscribeTenant: (tenantId, listener) => add(tenantKeyOf(tenantId), listener),
    isLive: () => true,
    wakeAll() {
      for (const key of [...listeners.keys()]) {
        const [tenantId = "", approvalId = ""] = key.split("\u0000");
        notify(key, { tenantId, approvalId, status: "pending" });
      }
    },
    close() {
      listeners.clear();
    },
  };
}
