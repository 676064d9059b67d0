import type { RunningVault } from "@agentsecretstore/testkit";
import { type ConnectedClient, structured } from "./mcp-client.js";

/**
 * The model waits (`check_approval_status` with `waitSeconds`) while a person decides: at the
 * first progress notification, an admin approves through the vault's API. Resolves with the
 * tool's outcome and the progress messages seen.
 */
export async function approveWhileWaiting(
  mcp: ConnectedClient,
  vault: RunningVault,
  approvalRequestId: string,
): Promise<{ outcome: Record<string, unknown>; progress: string[] }> {
  const progress: string[] = [];
  let approving: Promise<void> | undefined;
  const result = await mcp.call(
    "check_approval_status",
    { approvalRequestId, waitSeconds: 60 },
    {
      onProgress: ({ message }) => {
        progress.push(message ?? "");
        approving ??= vault.approve(approvalRequestId);
      },
    },
  );
  await approving;
  return { outcome: structured(result), progress };
}
