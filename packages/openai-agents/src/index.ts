// The public API of @agentsecretstore/openai-agents. Everything in src/internal/ is private.

// The registry, the client type and the tools' vocabulary are @agentsecretstore/agent-tools'
// own, re-exported: one registry instance masks for every adapter.
export {
  type AllowedDestination,
  type ApiKeyProvider,
  defaultSecretRegistry,
  type PendingApprovalOutcome,
  REDACTED,
  SecretRegistry,
  type VaultClient,
  type VaultToolName,
  type VaultToolOutcome,
} from "@agentsecretstore/agent-tools";
export {
  type AgentsVaultToolsOptions,
  createVaultToolkit,
  createVaultTools,
  type VaultAgentTool,
  type VaultToolkit,
} from "./create-vault-tools.js";
export {
  type OpenAIClientOptions,
  type VaultOpenAIProviderOptions,
  vaultOpenAIProvider,
} from "./vault-openai-provider.js";
export {
  type VaultOutputGuardrailInfo,
  type VaultRedactionOptions,
  vaultModelInputFilter,
  vaultOutputGuardrail,
} from "./vault-redaction.js";
export type { VaultRunContext } from "./vault-run-context.js";
