import type { ApprovalRequest } from "@agentsecretstore/client";
import type { VaultAdmin } from "@agentsecretstore/client/admin";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { clockDuration } from "./relative-time.js";

/** One line on where a request stands, as a person waiting for it reads it. */
export function describeApproval(approval: ApprovalRequest, now = new Date()): string {
  const count = `${approval.approvals.length} of ${approval.requiredApprovals}`;
  if (approval.status === "pending" && approval.eligibleAt) {
    const left = (approval.eligibleAt.getTime() - now.getTime()) / 1000;
    return `${approval.id}: approved by ${count}; takes effect in ${clockDuration(left)} (at ${approval.eligibleAt.toISOString()}) unless cancelled.`;
  }
  if (approval.status === "pending") {
    const tier = approval.tier === null ? "" : ` (${approval.tier})`;
    return `${approval.id}${tier}: ${count} approvals; waiting for ${approval.approvals.length === 0 ? "an admin" : "another admin"}.`;
  }
  return `${approval.id}: ${approval.status}.`;
}

/**
 * Long-polls a request until it is decided, printing a progress line on stderr at each change;
 * during a critical request's delay, a terminal sees the countdown tick every second. Resolves
 * with the approved request; a denial, cancellation or expiry is a CliError (exit 4).
 */
export async function waitForApprovalWithProgress(
  context: CommandContext,
  client: VaultAdmin,
  approvalRequestId: string,
): Promise<ApprovalRequest> {
  const { signal } = context.io;
  const live = context.err.forPeople;
  let last = "";
  let ticker: ReturnType<typeof setInterval> | undefined;
  const show = (line: string) => {
    if (line === last) return;
    context.io.stderr.write(live ? `\r\u001b[2K${line}` : `${line}\n`);
    last = line;
  };
  try {
    for (;;) {
      if (signal?.aborted) throw new CliError("stopped while waiting for approval.", 130);
      const approval = await client
        .getApproval(approvalRequestId, { wait: 25, ...(signal && { signal }) })
        .catch((error: unknown) => {
          if (signal?.aborted) throw new CliError("stopped while waiting for approval.", 130);
          throw error;
        });
      if (ticker !== undefined) clearInterval(ticker);
      ticker = undefined;
      show(
        context.err.paint(
          describeApproval(approval),
          approval.status === "pending" ? "yellow" : "green",
        ),
      );
      if (approval.status === "approved") return approval;
      if (approval.status !== "pending") {
        throw new CliError(
          `approval ${approval.id} ended as ${approval.status}.`,
          ExitCode.PERMISSION_DENIED,
        );
      }
      if (live && approval.eligibleAt) {
        ticker = setInterval(
          () => show(context.err.paint(describeApproval(approval), "yellow")),
          1000,
        );
        ticker.unref?.();
      }
    }
  } finally {
    if (ticker !== undefined) clearInterval(ticker);
    if (live && last !== "") context.io.stderr.write("\n");
  }
}
