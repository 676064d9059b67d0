export type { ApiKeyProvider } from "./api-key-provider.js";
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
