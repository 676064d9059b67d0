import {
  createVaultToolset,
  type VaultClient,
  type VaultToolset,
} from "@agentsecretstore/agent-tools";
import type { StructuredTool } from "@langchain/core/tools";
import { bindVaultTool } from "./internal/bind-vault-tool.js";
import type { VaultToolsOptions } from "./vault-tools-options.js";

/** The tools and the toolset behind them (the toolkit keeps it to revoke tokens). */
export function buildVaultTools(
  vault: VaultClient | undefined,
  options: VaultToolsOptions,
): { tools: StructuredTool[]; toolset: VaultToolset } {
  const { onApprovalPending = "report", ...shared } = options;
  const toolset = createVaultToolset(vault, shared);
  const tools = toolset.tools.map((vaultTool) =>
    bindVaultTool(vaultTool, toolset.registry, onApprovalPending),
  );
  return { tools, toolset };
}

/**
 * The vault tools for a LangChain agent: `list_secrets`, `get_secret_metadata`,
 * `request_secret_access`, `check_approval_status`, `set_secret`, `rotate_secret`,
 * `call_api_with_secret` (when `allowedDestinations` are given) and `get_secret` (which
 * declines unless `revealValues: true`). Each is a binding of the shared tool of
 * `@agentsecretstore/agent-tools`.
 *
 * The model passes paths and metadata, never credentials. Each call uses, in order: a token the
 * run obtained with `request_secret_access` that covers the path; the run's context
 * (`agent.invoke(input, { context: { vault } })` or `{ context: { vaultToken } }`); the `vault`
 * given here; or a client configured from the environment (`ASS_AGENT_KEY`, `ASS_BASE_URL`).
 * Tokens are kept per LangGraph `thread_id`.
 *
 * Not-found, denied, pending and rate-limited answers come back as short JSON results with a
 * `status` the model can act on; authentication, configuration, network and server failures
 * are thrown.
 *
 * @example
 * const registry = new SecretRegistry();
 * const tools = createVaultTools(vault, {
 *   registry,
 *   allowedDestinations: [{ origin: "https://api.github.com", secretPaths: ["production/github/*"] }],
 * });
 * const agent = createAgent({ model, tools, middleware: [vaultRedactionMiddleware({ registry })] });
 */
export function createVaultTools(
  vault?: VaultClient,
  options: VaultToolsOptions = {},
): StructuredTool[] {
  return buildVaultTools(vault, options).tools;
}
