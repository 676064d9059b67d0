// The public API of @agentsecretstore/ai-sdk. Everything in src/internal/ is private.

// The registry, the client type and the tools' vocabulary are @agentsecretstore/agent-tools'
// own, re-exported: one registry instance masks for every adapter.
export {
  type AllowedDestination,
  type ApiKeyProvider,
  defaultSecretRegistry,
  REDACTED,
  SecretRegistry,
  type VaultClient,
  type VaultToolName,
  type VaultToolOutcome,
  type VaultToolsOptions,
} from "@agentsecretstore/agent-tools";
export {
  createVaultToolkit,
  createVaultTools,
  type VaultAiTool,
  type VaultAiToolSet,
  type VaultToolkit,
  vaultToolsContext,
} from "./create-vault-tools.js";
export { type RedactTelemetryOptions, redactTelemetry } from "./redact-telemetry.js";
export { type RedactToolResultsOptions, redactToolResults } from "./redact-tool-results.js";
export {
  type KeyedProviderSettings,
  type ProviderFactory,
  type SettingsOf,
  type VaultProviderOptions,
  vaultProvider,
} from "./vault-provider.js";
export {
  type VaultRedactionMiddlewareOptions,
  vaultRedactionMiddleware,
} from "./vault-redaction-middleware.js";
export { type AiSdkVaultContext, aiSdkVaultContextSchema } from "./vault-tool-context.js";
