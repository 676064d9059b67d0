import {
  createVaultToolset,
  isPendingApproval,
  type PendingApprovalOutcome,
  type SecretRegistry,
  type VaultClient,
  type VaultTool,
  type VaultToolsOptions,
} from "@agentsecretstore/agent-tools";
import { type FunctionTool, type RunToolApprovalItem, tool } from "@openai/agents";
import type { z } from "zod";
import { callContextOf } from "./vault-run-context.js";

/** A vault tool as an Agents SDK function tool: model input in, the outcome as JSON out. */
export type VaultAgentTool = FunctionTool<unknown, z.ZodObject, string>;

/** Options of {@link createVaultTools} and {@link createVaultToolkit}. */
export interface AgentsVaultToolsOptions extends VaultToolsOptions {
  /**
   * What a call does when a person must approve access first: `"interrupt"` stops the run
   * through the SDK's own human-in-the-loop (`needsApproval`: the call is in
   * `result.interruptions`; once a person approved in the vault, `result.state.approve(item)`
   * and `run(agent, result.state)` resume it, and the tool asks the vault again: the SDK
   * decision alone is never taken as the vault's approval); `"report"` returns a
   * `pending_approval` result to the model instead.
   * @default "interrupt"
   */
  onApprovalPending?: "interrupt" | "report";
}

/** The vault tools with what an orchestrator needs around them. */
export interface VaultToolkit {
  /** The tools (pass them as the agent's `tools`). */
  readonly tools: VaultAgentTool[];
  /** Where the tools register every value the vault handed out. */
  readonly registry: SecretRegistry;
  /**
   * The vault approval an interruption waits for (its request id and what a person must do),
   * or `undefined` when the interruption is not a vault tool's.
   */
  pendingApproval(item: RunToolApprovalItem): PendingApprovalOutcome | undefined;
  /** Revokes every token obtained with `request_secret_access`; resolves with how many. */
  revokeAccess(): Promise<number>;
}

/**
 * The vault tools and their clean-up for an Agents SDK agent: `list_secrets`,
 * `get_secret_metadata`, `request_secret_access`, `check_approval_status`, `set_secret`,
 * `rotate_secret`, `call_api_with_secret` (with `allowedDestinations`) and `get_secret`
 * (declines unless `revealValues: true`), each a binding of the shared tool of
 * `@agentsecretstore/agent-tools`. The vault client comes from `runContext.context`
 * (`run(agent, input, { context: { vault } })`), never from the model.
 *
 * @example
 * const toolkit = createVaultToolkit(vault, { registry });
 * const agent = new Agent({ name: "ops", instructions, tools: toolkit.tools });
 * let result = await run(agent, "Refund order 42", { context: { vault: subagentVault } });
 * for (const item of result.interruptions) {
 *   const approval = toolkit.pendingApproval(item);  // show approval?.personAction to a person
 *   result.state.approve(item);                      // once they approved in the vault
 * }
 * result = await run(agent, result.state);
 */
export function createVaultToolkit(
  vault?: VaultClient,
  options: AgentsVaultToolsOptions = {},
): VaultToolkit {
  const { onApprovalPending = "interrupt", ...shared } = options;
  const toolset = createVaultToolset(vault, shared);
  // The pending approval behind each interrupted call, by the SDK's call id.
  const pending = new Map<string, PendingApprovalOutcome>();
  const tools = toolset.tools.map((vaultTool) =>
    bindVaultTool(vaultTool, onApprovalPending === "interrupt" ? pending : undefined),
  );
  return {
    tools,
    registry: toolset.registry,
    pendingApproval: (item) => {
      const callId = (item.rawItem as { callId?: unknown }).callId;
      return typeof callId === "string" ? pending.get(callId) : undefined;
    },
    revokeAccess: () => toolset.revokeAccess(),
  };
}

/** The vault tools for an Agents SDK agent (see {@link createVaultToolkit}). */
export function createVaultTools(
  vault?: VaultClient,
  options: AgentsVaultToolsOptions = {},
): VaultAgentTool[] {
  return createVaultToolkit(vault, options).tools;
}

function bindVaultTool(
  vaultTool: VaultTool,
  pending: Map<string, PendingApprovalOutcome> | undefined,
): VaultAgentTool {
  const approvalCheck = vaultTool.approvalCheck;
  return tool<z.ZodObject, unknown, string>({
    name: vaultTool.name,
    description: vaultTool.description,
    parameters: vaultTool.inputSchema,
    execute: async (input, runContext, details) => {
      const signal = (details as { signal?: AbortSignal } | undefined)?.signal;
      const outcome = await vaultTool.execute(callContextOf(runContext, signal), input);
      return JSON.stringify(outcome);
    },
    ...(pending !== undefined &&
      approvalCheck !== undefined && {
        // Asked before the call, and again when a resumed run reaches it: it interrupts while
        // the vault says a person must approve, whatever the SDK decision says.
        needsApproval: async (runContext, input, callId) => {
          const waiting = await approvalCheck(callContextOf(runContext), input as never);
          if (callId !== undefined) {
            if (waiting !== undefined && isPendingApproval(waiting)) pending.set(callId, waiting);
            else pending.delete(callId);
          }
          return waiting !== undefined;
        },
      }),
  });
}
