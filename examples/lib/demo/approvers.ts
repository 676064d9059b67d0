import type { ApprovalRequest } from "@agentsecretstore/client";
import type { VaultAdmin } from "@agentsecretstore/client/admin";

/** One person who approves, with their own admin key. */
export type Approver = { name: string; admin: VaultAdmin; print: (text: string) => void };

/** Options of {@link runApprovers}. */
export type ApproversOptions = {
  /** Watches the queue of pending requests. */
  queue: VaultAdmin;
  /** Two different people: a critical request needs both. */
  approvers: readonly [Approver, Approver];
  /** The server's critical delay, in seconds, for the narration. */
  criticalDelaySeconds: number;
  /** How long to watch the queue before giving up, in ms. @default 20_000 */
  timeout?: number;
};

/**
 * Waits for the first pending critical request, has both approvers approve it one after the
 * other, then long-polls it through the delay until it is approved. Returns the final request.
 */
export async function runApprovers(options: ApproversOptions): Promise<ApprovalRequest> {
  const [first, second] = options.approvers;
  const request = await nextPendingCritical(options.queue, options.timeout ?? 20_000);
  first.print(`sees ${request.id}: ${request.tier}, ${request.scopes.join(", ")}`);

  const afterFirst = await first.admin.approve(request.id, { comment: "payout po_1042 checked" });
  first.print(
    `approve #1 → ${afterFirst.approvals.length} of ${afterFirst.requiredApprovals}, still ${afterFirst.status}`,
  );
  const afterSecond = await second.admin.approve(request.id, { comment: "second pair of eyes" });
  const eligibleAt = afterSecond.eligibleAt?.toISOString().slice(11, 23) ?? "now";
  second.print(
    `approve #2 → ${afterSecond.approvals.length} of ${afterSecond.requiredApprovals}; delay ${options.criticalDelaySeconds} s, anyone may cancel until ${eligibleAt}`,
  );

  let current = afterSecond;
  while (current.status === "pending") {
    current = await options.queue.getApproval(request.id, { wait: 10 });
  }
  second.print(`delay over → ${current.status}: the token is eligible`);
  return current;
}

async function nextPendingCritical(queue: VaultAdmin, timeout: number): Promise<ApprovalRequest> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const pending = await queue.listApprovals({ status: "pending" });
    const critical = pending.find((request) => request.tier === "critical");
    if (critical !== undefined) return critical;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No critical approval request arrived within ${timeout} ms.`);
}
