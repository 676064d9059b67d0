import type { AgentVault } from "./agent-vault.js";
import { checkNumber } from "./internal/option-checks.js";
import { pollApproval } from "./internal/poll-approval.js";
import { encodeIdSegment } from "./internal/url-path.js";
import { accessOf } from "./internal/vault-access.js";
import { toApprovalRequest } from "./internal/wire-mappers.js";
import type { ApprovalRequest } from "./models/approval-request.js";
import type { WaitForApprovalOptions } from "./request-options.js";

/**
 * A client that waits for approvals in its own way (a test double, a wrapper): given one,
 * {@link waitForApproval} calls its method.
 */
export type ApprovalWaiting = {
  waitForApproval(
    approvalRequestId: string,
    options?: WaitForApprovalOptions,
  ): Promise<ApprovalRequest>;
};

const DEFAULT_APPROVAL_TIMEOUT_MS = 300_000;
const DEFAULT_POLL_WAIT_SECONDS = 25;

/**
 * Long-polls an approval request through `vault` until a person decides it (and, for a
 * critical secret, its delay has passed). Resolves with the decided request: check `status`.
 * A function rather than a method of `AgentVault`, so that an agent that never waits does
 * not ship it (as with `createCredentialProvider`).
 *
 * @throws AgentVaultApprovalTimeoutError when `options.timeout` passes first
 * @throws AgentVaultConfigurationError when `vault` is neither an `AgentVault` nor has a
 *   `waitForApproval` method of its own
 * @example
 * const token = await vault.requestToken({ scope: "secrets:read:production/db/*" });
 * if (token.approvalStatus === "pending") {
 *   const decided = await waitForApproval(vault, token.approvalRequestId!, { timeout: 600_000 });
 * }
 */
export async function waitForApproval(
  vault: AgentVault | ApprovalWaiting,
  approvalRequestId: string,
  options: WaitForApprovalOptions = {},
): Promise<ApprovalRequest> {
  if ("waitForApproval" in vault) return vault.waitForApproval(approvalRequestId, options);
  const access = accessOf(vault);
  const path = `/approvals/${encodeIdSegment(approvalRequestId, "approvalRequestId")}`;
  const pollWaitSeconds = checkNumber(
    options.pollWaitSeconds ?? DEFAULT_POLL_WAIT_SECONDS,
    "pollWaitSeconds",
    0,
    true,
  );
  const poll = async (waitSeconds: number, signal: AbortSignal) =>
    toApprovalRequest(
      await access.call("GET", path, options, {
        query: { wait: waitSeconds },
        signal,
        // The server holds the request up to waitSeconds; the attempt's limit comes on top.
        timeout: waitSeconds * 1000 + access.timeout,
      }),
    );
  return pollApproval(poll, {
    approvalRequestId,
    timeout: checkNumber(options.timeout ?? DEFAULT_APPROVAL_TIMEOUT_MS, "timeout", 0),
    pollWaitSeconds,
    signal: options.signal,
  });
}
