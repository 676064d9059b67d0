// The public API of @agentsecretstore/langchain. Everything in src/internal/ is private.

// The registry, the client type, the context schema and the tools' vocabulary are
// @agentsecretstore/agent-tools' own, re-exported: one registry instance masks for every adapter.
export {
  type AllowedDestination,
  type ApiKeyProvider,
  defaultSecretRegistry,
  type FetchFunction,
  type HttpMethod,
  type MaskOptions,
  REDACTED,
  type RegisterOptions,
  SecretRegistry,
  type SecretRegistryOptions,
  type VaultClient,
  type VaultToolContext,
  type VaultToolName,
  vaultContextSchema,
} from "@agentsecretstore/agent-tools";
export { AgentVaultToolkit } from "./agent-vault-toolkit.js";
export { createVaultTools } from "./create-vault-tools.js";
export {
  type BrokerConnection,
  type ChatModelFactory,
  LazyChatModel,
  type LazyChatModelOptions,
  lazyChatModel,
} from "./lazy-chat-model.js";
export {
  createVaultTraceAnonymizer,
  type VaultTraceAnonymizerOptions,
} from "./trace-anonymizer.js";
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
export type { VaultToolsOptions } from "./vault-tools-options.js";
