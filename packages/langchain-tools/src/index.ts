// The public API of @agentsecretstore/langchain. Everything in src/internal/ is private.

export { AgentVaultToolkit } from "./agent-vault-toolkit.js";
export type { ApiKeyProvider } from "./api-key-provider.js";
export { createVaultTools } from "./create-vault-tools.js";
export {
  type ChatModelFactory,
  LazyChatModel,
  type LazyChatModelOptions,
  lazyChatModel,
} from "./lazy-chat-model.js";
export {
  defaultSecretRegistry,
  type MaskOptions,
  REDACTED,
  type RegisterOptions,
  SecretRegistry,
  type SecretRegistryOptions,
} from "./secret-registry.js";
export {
  createVaultTraceAnonymizer,
  type VaultTraceAnonymizerOptions,
} from "./trace-anonymizer.js";
export type { VaultClient } from "./vault-client.js";
export {
  type VaultLeak,
  VaultLeakError,
  VaultRedactionHandler,
  type VaultRedactionHandlerOptions,
} from "./vault-redaction-handler.js";
export {
  type VaultRedactionMiddlewareOptions,
  vaultRedactionMiddleware,
} from "./vault-redaction-middleware.js";
export { type VaultToolContext, vaultContextSchema } from "./vault-tool-context.js";
export type {
  AllowedDestination,
  FetchFunction,
  HttpMethod,
  VaultToolName,
  VaultToolsOptions,
} from "./vault-tools-options.js";
