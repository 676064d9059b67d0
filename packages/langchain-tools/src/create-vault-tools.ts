import type { StructuredTool } from "@langchain/core/tools";
import { VaultToolState } from "./internal/vault-tool-state.js";
import { defaultSecretRegistry } from "./secret-registry.js";
import { createCallApiWithSecretTool } from "./tools/call-api-with-secret-tool.js";
import { createCheckApprovalStatusTool } from "./tools/check-approval-status-tool.js";
import { createGetSecretMetadataTool } from "./tools/get-secret-metadata-tool.js";
import { createGetSecretTool } from "./tools/get-secret-tool.js";
import { createListSecretsTool } from "./tools/list-secrets-tool.js";
import { createRequestSecretAccessTool } from "./tools/request-secret-access-tool.js";
import { createRotateSecretTool } from "./tools/rotate-secret-tool.js";
import { createSetSecretTool } from "./tools/set-secret-tool.js";
import type { VaultClient } from "./vault-client.js";
import type { VaultToolName, VaultToolsOptions } from "./vault-tools-options.js";

const FACTORIES: Record<VaultToolName, (state: VaultToolState) => StructuredTool> = {
  list_secrets: createListSecretsTool,
  get_secret_metadata: createGetSecretMetadataTool,
  request_secret_access: createRequestSecretAccessTool,
  check_approval_status: createCheckApprovalStatusTool,
  set_secret: createSetSecretTool,
  rotate_secret: createRotateSecretTool,
  call_api_with_secret: createCallApiWithSecretTool,
  get_secret: createGetSecretTool,
};

/** The tools and the state they share (the toolkit keeps the state to revoke tokens). */
export function buildVaultTools(
  vault: VaultClient | undefined,
  options: VaultToolsOptions,
): { tools: StructuredTool[]; state: VaultToolState } {
  const state = new VaultToolState(vault, options.registry ?? defaultSecretRegistry, options);
  const tools = (Object.keys(FACTORIES) as VaultToolName[])
    .filter((name) => state.options.include.has(name))
    .map((name) => FACTORIES[name](state));
  return { tools, state };
}

/**
 * The vault tools for a LangChain agent: `list_secrets`, `get_secret_metadata`,
 * `request_secret_access`, `check_approval_status`, `set_secret`, `rotate_secret`,
 * `call_api_with_secret` (when `allowedDestinations` are given) and `get_secret` (which
 * declines unless `revealValues: true`).
 *
 * The model passes paths and metadata, never credentials. Each call uses, in order: a token the
 * run obtained with `request_secret_access` that covers the path; the run's context
 * (`agent.invoke(input, { context: { vault } })` or `{ context: { vaultToken } }`); the `vault`
 * given here; or a client configured from the environment (`ASS_AGENT_KEY`, `ASS_BASE_URL`).
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
