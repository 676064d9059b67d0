// The public API of @agentsecretstore/client: what an agent needs. Admin tools live in
// @agentsecretstore/client/admin, the Orchestrator in …/orchestrator, SyncAgentVault in
// …/sync, importSecrets in …/import. Everything else (src/internal/) is private.

export { AgentVault } from "./agent-vault.js";
export type { AgentVaultOptions, FetchLike } from "./agent-vault-options.js";
export type {
  CredentialMetadata,
  CredentialProvider,
  CredentialProviderOptions,
  SecretReader,
} from "./credential-provider.js";
export { createCredentialProvider } from "./credential-provider.js";
export type { AgentVaultErrorOptions, ValidationIssue } from "./errors.js";
export {
  AgentVaultAbortError,
  AgentVaultApprovalPendingError,
  AgentVaultApprovalTimeoutError,
  AgentVaultAuthError,
  AgentVaultConfigurationError,
  AgentVaultConflictError,
  AgentVaultError,
  AgentVaultNetworkError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultRateLimitError,
  AgentVaultServerError,
  AgentVaultTimeoutError,
  AgentVaultValidationError,
} from "./errors.js";
export type { Logger } from "./logger.js";
export type { Approval, ApprovalRequest } from "./models/approval-request.js";
export { ApprovalStatus } from "./models/approval-status.js";
export type { BrokerConnection } from "./models/broker-connection.js";
export type { RotationResult } from "./models/rotation-result.js";
export type { ScopedTokenInit } from "./models/scoped-token.js";
export { ScopedToken } from "./models/scoped-token.js";
export type { SecretInit } from "./models/secret.js";
export { Secret } from "./models/secret.js";
export type {
  AllowedDestination,
  SecretMetadata,
  SecretVersionInfo,
} from "./models/secret-metadata.js";
export type { SecretPage } from "./models/secret-page.js";
export { SecretTier } from "./models/secret-tier.js";
export { SecretType } from "./models/secret-type.js";
export type { Page, PageFetcher } from "./paged-list.js";
export { PagedList } from "./paged-list.js";
export type {
  BrokerOptions,
  GetSecretOptions,
  ListSecretsOptions,
  RequestOptions,
  RequestTokenOptions,
  RotateSecretOptions,
  SetSecretOptions,
  WaitForApprovalOptions,
} from "./request-options.js";
export type { OnWait, RetryWait } from "./retry-wait.js";
export type { SecretCacheKey, SecretCacheStore } from "./secret-cache-store.js";
export { SecretList } from "./secret-list.js";
export type { ApprovalWaiting } from "./wait-for-approval.js";
export { waitForApproval } from "./wait-for-approval.js";
