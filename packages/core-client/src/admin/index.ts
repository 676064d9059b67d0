// The public API of @agentsecretstore/client/admin: what holders of an admin key use
// (approvals, audit, agents, admins, tenants). Its own entry point, so that agents that
// only read secrets do not ship it.

export type {
  AdminRequestOptions,
  CreateAdminOptions,
  CreateAgentOptions,
  CreateTenantOptions,
  DecideApprovalOptions,
  GetApprovalOptions,
  ListApprovalsOptions,
  ListAuditOptions,
  RotateKeyOptions,
  VerifyAuditOptions,
} from "../admin-request-options.js";
export { AuditList } from "../audit-list.js";
export type { Admin } from "../models/admin.js";
export type { Agent } from "../models/agent.js";
export type { AuditCheckpoint } from "../models/audit-checkpoint.js";
export type { AuditEvent } from "../models/audit-event.js";
export type { AuditPage } from "../models/audit-page.js";
export type { AuditVerification } from "../models/audit-verification.js";
export type { CreatedAdminInit } from "../models/created-admin.js";
export { CreatedAdmin } from "../models/created-admin.js";
export type { CreatedAgentInit } from "../models/created-agent.js";
export { CreatedAgent } from "../models/created-agent.js";
export type { CreatedTenantInit } from "../models/created-tenant.js";
export { CreatedTenant } from "../models/created-tenant.js";
export type { RotatedKeyInit } from "../models/rotated-key.js";
export { RotatedKey } from "../models/rotated-key.js";
export { VaultAdmin } from "../vault-admin.js";
export type { VaultAdminOptions } from "../vault-admin-options.js";
