import { BaseToolkit, type StructuredTool } from "@langchain/core/tools";
import { buildVaultTools } from "./create-vault-tools.js";
import type { VaultToolState } from "./internal/vault-tool-state.js";
import type { SecretRegistry } from "./secret-registry.js";
import type { VaultClient } from "./vault-client.js";
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
  readonly #state: VaultToolState;

  constructor(vault?: VaultClient, options: VaultToolsOptions = {}) {
    super();
    const { tools, state } = buildVaultTools(vault, options);
    this.tools = tools;
    this.#state = state;
  }

  /** The registry the tools register values in (give it to the middleware and handler). */
  get registry(): SecretRegistry {
    return this.#state.registry;
  }

  /**
   * Revokes every token obtained with `request_secret_access` (and forgets them), so that
   * nothing outlives the run. Resolves with how many were revoked; tokens that are already
   * gone count as revoked.
   */
  async revokeAccess(): Promise<number> {
    const grants = this.#state.grants.all();
    this.#state.grants.clear();
    const results = await Promise.allSettled(
      grants.map((grant) =>
        grant.issuer.vault.revokeToken(grant.tokenId, { token: grant.issuer.token }),
      ),
    );
    const failure = results.find(
      (result): result is PromiseRejectedResult =>
        result.status === "rejected" && !isAlreadyGone(result.reason),
    );
    if (failure !== undefined) throw failure.reason;
    return grants.length;
  }
}

/** 401/404: the token expired, was used up or was revoked already. */
function isAlreadyGone(error: unknown): boolean {
  const status = (error as { status?: unknown })?.status;
  return status === 401 || status === 404;
}
