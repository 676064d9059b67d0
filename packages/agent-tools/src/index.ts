// The public API of @agentsecretstore/agent-tools: the vault tools once, for every adapter
// (LangChain, AI SDK, OpenAI Agents, MCP), and the one masking they all use.
// Everything in src/internal/ is private.

export { patternCovers, type ScopeAction, scopeCovers } from "@agentsecretstore/protocol";
export type { ApiKeyProvider } from "./api-key-provider.js";
export { createVaultToolset, type VaultToolset } from "./create-vault-toolset.js";
export { type KeyedFetchOptions, keyedFetch, type ProviderFetch } from "./keyed-fetch.js";
export { type MaskDeepOptions, type MaskText, maskDeep } from "./mask-deep.js";
export {
  defaultSecretRegistry,
  type MaskOptions,
  REDACTED,
  type RegisterOptions,
  SecretRegistry,
  type SecretRegistryOptions,
} from "./secret-registry.js";
export { StreamRedactor } from "./stream-redactor.js";
export type { VaultClient } from "./vault-client.js";
export type { VaultTool } from "./vault-tool.js";
export {
  type VaultToolCallContext,
  type VaultToolContext,
  vaultContextOf,
  vaultContextSchema,
} from "./vault-tool-context.js";
export {
  isErrorOutcome,
  isPendingApproval,
  type PendingApprovalOutcome,
  type VaultToolOutcome,
  type VaultToolStatus,
} from "./vault-tool-outcome.js";
export type {
  AllowedDestination,
  FetchFunction,
  HttpMethod,
  VaultToolName,
  VaultToolsOptions,
} from "./vault-tools-options.js";
