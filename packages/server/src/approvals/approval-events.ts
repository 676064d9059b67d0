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
  /** Releases connections; called when the server closes. */
  close?(): void | Promise<void>;
};

/**
 * Approval change events inside one process: what a single server instance needs. Listeners are
 * kept per request, so a publish costs nothing when nobody waits on that request.
 *
 * @example
 * const events = createInProcessApprovalEvents();
 * const stop = events.subscribe(tenantId, approvalId, () => wake());
 * events.publish({ tenantId, approvalId, status: "approved" });
 * stop();
 */
export function createInProcessApprovalEvents(): ApprovalEvents {
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
    close() {
      listeners.clear();
    },
  };
}
