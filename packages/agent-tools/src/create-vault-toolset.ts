import { ALL_TOOLS, VaultToolState } from "./internal/vault-tool-state.js";
import { defaultSecretRegistry, type SecretRegistry } from "./secret-registry.js";
import { callApiWithSecretTool } from "./tools/call-api-with-secret-tool.js";
import { checkApprovalStatusTool } from "./tools/check-approval-status-tool.js";
import { getSecretMetadataTool } from "./tools/get-secret-metadata-tool.js";
import { getSecretTool } from "./tools/get-secret-tool.js";
import { listSecretsTool } from "./tools/list-secrets-tool.js";
import { requestSecretAccessTool } from "./tools/request-secret-access-tool.js";
import { rotateSecretTool } from "./tools/rotate-secret-tool.js";
import { setSecretTool } from "./tools/set-secret-tool.js";
import type { VaultClient } from "./vault-client.js";
import type { VaultTool } from "./vault-tool.js";
import type { VaultToolName, VaultToolsOptions } from "./vault-tools-options.js";

const FACTORIES: Record<VaultToolName, (state: VaultToolState) => VaultTool> = {
  list_secrets: listSecretsTool,
  get_secret_metadata: getSecretMetadataTool,
  request_secret_access: requestSecretAccessTool,
  check_approval_status: checkApprovalStatusTool,
  set_secret: setSecretTool,
  rotate_secret: rotateSecretTool,
  call_api_with_secret: callApiWithSecretTool,
  get_secret: getSecretTool,
};

/** The vault tools of one {@link createVaultToolset} call and what they share. */
export interface VaultToolset {
  /** The tools, in a fixed order (`list_secrets` first, `get_secret` last). */
  readonly tools: readonly VaultTool[];
  /** Where the tools register every value the vault handed out (give it to the redaction). */
  readonly registry: SecretRegistry;
  /** The tool of that name, or `undefined` when it was not made. */
  get(name: VaultToolName): VaultTool | undefined;
  /**
   * Revokes every token obtained with `request_secret_access` in any run (and forgets them),
   * so that nothing outlives the work. Resolves with how many were revoked; tokens that are
   * already gone count as revoked. Other failures reject after every revocation was tried.
   */
  revokeAccess(): Promise<number>;
}

/**
 * The vault tools, framework-neutral: `list_secrets`, `get_secret_metadata`,
 * `request_secret_access`, `check_approval_status`, `set_secret`, `rotate_secret`,
 * `call_api_with_secret` (when `allowedDestinations` are given) and `get_secret` (which
 * declines unless `revealValues: true`). Adapters bind each {@link VaultTool} to their
 * framework; the rules live here once.
 *
 * The model passes paths and metadata, never credentials. Each call uses, in order: a token the
 * run obtained with `request_secret_access` that covers the path; the call context's `vault`
 * (or its `vaultToken` on the bound client); the `vault` given here; or a client configured
 * from the environment (`ASS_AGENT_KEY`, `ASS_BASE_URL`).
 *
 * @example
 * const toolset = createVaultToolset(vault, {
 *   registry,
 *   allowedDestinations: [{ origin: "https://api.github.com", secretPaths: ["production/github/*"] }],
 * });
 * const outcome = await toolset.get("list_secrets")?.execute({ runId: "run-1" }, { namespace: "production" });
 */
export function createVaultToolset(
  vault?: VaultClient,
  options: VaultToolsOptions = {},
): VaultToolset {
  const state = new VaultToolState(vault, options.registry ?? defaultSecretRegistry, options);
  const tools = ALL_TOOLS.filter((name) => state.options.include.has(name)).map((name) =>
    FACTORIES[name](state),
  );
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  return {
    tools,
    registry: state.registry,
    get: (name) => byName.get(name),
    revokeAccess: async () => {
      const grants = state.grants.all();
      state.grants.clear();
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
    },
  };
}

/** 401/404: the token expired, was used up or was revoked already. */
function isAlreadyGone(error: unknown): boolean {
  const status = (error as { status?: unknown })?.status;
  return status === 401 || status === 404;
}
