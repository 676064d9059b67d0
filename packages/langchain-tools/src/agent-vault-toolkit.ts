import type { SecretRegistry, VaultClient, VaultToolset } from "@agentsecretstore/agent-tools";
import { BaseToolkit, type StructuredTool } from "@langchain/core/tools";
import { buildVaultTools } from "./create-vault-tools.js";
import type { VaultToolsOptions } from "./vault-tools-options.js";

/**
 * The vault tools as a LangChain toolkit (see `createVaultTools` for what each tool does),
 * plus the clean-up an orchestrator needs: `revokeAccess()` revokes every token the agent
 * obtained with `request_secret_access`.
 *
 * @example
 * const toolkit = new AgentVaultToolkit(vault, { registry });
 * const agent = createAgent({ model, tools: toolkit.getTools() });
 * try { await agent.invoke(input) } finally { await toolkit.revokeAccess() }
 */
export class AgentVaultToolkit extends BaseToolkit {
  tools: StructuredTool[];
  readonly #toolset: VaultToolset;

  constructor(vault?: VaultClient, options: VaultToolsOptions = {}) {
    super();
    const { tools, toolset } = buildVaultTools(vault, options);
    this.tools = tools;
    this.#toolset = toolset;
  }

  /** The registry the tools register values in (give it to the middleware and handler). */
  get registry(): SecretRegistry {
    return this.#toolset.registry;
  }

  /**
   * Revokes every token obtained with `request_secret_access` (and forgets them), so that
   * nothing outlives the run. Resolves with how many were revoked; tokens that are already
   * gone count as revoked.
   */
  revokeAccess(): Promise<number> {
    return this.#toolset.revokeAccess();
  }
}
