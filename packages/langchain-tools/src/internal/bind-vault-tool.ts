import {
  isPendingApproval,
  type SecretRegistry,
  type VaultTool,
  type VaultToolCallContext,
  vaultContextOf,
} from "@agentsecretstore/agent-tools";
import { type StructuredTool, tool } from "@langchain/core/tools";

/** The second argument LangChain passes to a tool: its runtime (inside an agent) or config. */
type ToolCallRuntime = {
  context?: unknown;
  configurable?: Record<string, unknown>;
  config?: { configurable?: Record<string, unknown> };
  signal?: AbortSignal;
};

/** How a bound tool answers a pending approval (see `VaultToolsOptions.onApprovalPending`). */
export type ApprovalPendingMode = "report" | "interrupt";

/**
 * A shared vault tool as a LangChain tool: the credential comes from the run's context, the
 * run is told apart by its LangGraph `thread_id`, and the answer is the outcome as JSON with
 * every hidden vault value masked.
 */
export function bindVaultTool(
  vaultTool: VaultTool,
  registry: SecretRegistry,
  onApprovalPending: ApprovalPendingMode,
): StructuredTool {
  return tool(
    async (input, runtime: ToolCallRuntime) => {
      const outcome = await vaultTool.execute(callContext(runtime), input);
      if (
        onApprovalPending === "interrupt" &&
        isPendingApproval(outcome) &&
        outcome.approvalRequestId !== null
      ) {
        // On resume the tool runs again from the start; reaching this point again means the
        // vault still says pending, and `interrupt()` now returns the resume value instead.
        const { interrupt } = await import("@langchain/langgraph");
        interrupt({
          type: "vault_approval_pending",
          tool: vaultTool.name,
          approvalRequestId: outcome.approvalRequestId,
          ...(outcome.path !== undefined && { path: outcome.path }),
          ...(outcome.scope !== undefined && { scope: outcome.scope }),
          message: `A person must approve request ${outcome.approvalRequestId} in the vault, then resume the run.`,
        });
      }
      return registry.mask(JSON.stringify(outcome), { forModel: true });
    },
    { name: vaultTool.name, description: vaultTool.description, schema: vaultTool.inputSchema },
  ) as StructuredTool;
}

function callContext(runtime: ToolCallRuntime | undefined): VaultToolCallContext {
  const threadId =
    runtime?.configurable?.thread_id ?? runtime?.config?.configurable?.thread_id ?? undefined;
  return {
    ...vaultContextOf(runtime?.context),
    runId:
      typeof threadId === "string" || typeof threadId === "number"
        ? `thread:${threadId}`
        : undefined,
    signal: runtime?.signal,
  };
}
