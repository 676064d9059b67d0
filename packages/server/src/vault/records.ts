// The records services take and return. The HTTP layer reads these types from here, never from
// the store.
export type { ApprovalRecord } from "../store/approvals-store.js";
export type { AuditEventRecord } from "../store/audit-store.js";
export type { StoredResponse } from "../store/idempotency-store.js";
export type { AdminRecord, AgentRecord } from "../store/principals-store.js";
export type { SecretRecord } from "../store/secrets-store.js";
export type { TokenRecord } from "../store/tokens-store.js";
