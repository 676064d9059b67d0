// The public API of @agentsecretstore/client. Everything else (src/internal/) is private.

export type {
  AdminRequestOptions,
  CreateAdminOptions,
  CreateAgentOptions,
  CreateTenantOptions,
  DecideApprovalOptions,
  GetApprovalOptions,
  ListApprovalsOptions,
  ListAuditOptions,
} from "./admin-request-options.js";
export { AgentVault } from "./agent-vault.js";
export type {
  AgentVaultCacheOptions,
  AgentVaultOptions,
  FetchLike,
} from "./agent-vault-options.js";
export { AuditList } from "./audit-list.js";
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
export type { Admin } from "./models/admin.js";
export type { Agent } from "./models/agent.js";
export type { Approval, ApprovalRequest } from "./models/approval-request.js";
export { ApprovalStatus } from "./models/approval-status.js";
export type { AuditEvent } from "./models/audit-event.js";
export type { AuditPage } from "./models/audit-page.js";
export type { AuditVerification } from "./models/audit-verification.js";
export type { CreatedAdminInit } from "./models/created-admin.js";
export { CreatedAdmin } from "./models/created-admin.js";
export type { CreatedAgentInit } from "./models/created-agent.js";
export { CreatedAgent } from "./models/created-agent.js";
export type { CreatedTenantInit } from "./models/created-tenant.js";
export { CreatedTenant } from "./models/created-tenant.js";
export type { ImportResult } from "./models/import-result.js";
export type { RotationResult } from "./models/rotation-result.js";
export type { ScopedTokenInit } from "./models/scoped-token.js";
export { ScopedToken } from "./models/scoped-token.js";
export type { SecretInit } from "./models/secret.js";
export { Secret } from "./models/secret.js";
export type { SecretMetadata, SecretVersionInfo } from "./models/secret-metadata.js";
export type { SecretPage } from "./models/secret-page.js";
export { SecretTier } from "./models/secret-tier.js";
export { SecretType } from "./models/secret-type.js";
export type {
  MintedToken,
  MintOptions,
  OrchestratorOptions,
  SubagentEnv,
  TokenIssuer,
  TokenRequest,
} from "./orchestrator.js";
export { Orchestrator } from "./orchestrator.js";
export type { Page, PageFetcher } from "./paged-list.js";
export { PagedList } from "./paged-list.js";
export type {
  GetSecretOptions,
  ImportSecretsOptions,
  ListSecretsOptions,
  RequestOptions,
  RequestTokenOptions,
  RotateSecretOptions,
  SetSecretOptions,
  WaitForApprovalOptions,
} from "./request-options.js";
export { SecretList } from "./secret-list.js";
export { VaultAdmin } from "./vault-admin.js";
export type { VaultAdminOptions } from "./vault-admin-options.js";
