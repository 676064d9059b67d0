import type { ApprovalStatus } from "./models/approval-status.js";
import type { AuditCheckpoint } from "./models/audit-checkpoint.js";

/** Options every `VaultAdmin` method takes. */
export interface AdminRequestOptions {
  /** Cancels the call; an aborted call rejects with `AgentVaultAbortError` and is never retried. */
  signal?: AbortSignal | undefined;
}

/** Options of `listApprovals`. */
export interface ListApprovalsOptions extends AdminRequestOptions {
  /**
   * Only requests in this state, e.g. `"pending"` for those waiting for a decision.
   * @default every state the server lists
   */
  status?: ApprovalStatus | undefined;
}

/** Options of `getApproval`. */
export interface GetApprovalOptions extends AdminRequestOptions {
  /**
   * Long-poll: let the server hold the request up to this many seconds while it is still
   * pending (the server allows at most 60).
   * @default 0 (answer at once)
   */
  wait?: number | undefined;
}

/** Options of `approve`, `deny` and `cancel`. */
export interface DecideApprovalOptions extends AdminRequestOptions {
  /** Why; kept with the decision and shown to the other approvers. */
  comment?: string | undefined;
}

/** Options of `listAudit`: filters and paging. */
export interface ListAuditOptions extends AdminRequestOptions {
  /**
   * Events per page (the server allows at most 500).
   * @default 100 (the server's default)
   */
  limit?: number | undefined;
  /** Start from this page (a `nextCursor` from an earlier page). */
  cursor?: string | undefined;
  /** Only events about this secret path. */
  path?: string | undefined;
  /** Only events of this kind, e.g. `"secret.read"` or `"auth.failed"`. */
  event?: string | undefined;
  /** Only events by this actor (an agent, admin or token id). */
  actor?: string | undefined;
}

/** Options of `createAgent`. */
export interface CreateAgentOptions extends AdminRequestOptions {
  /** A name people recognise, e.g. `"summariser"`. */
  name: string;
  /** Free text. */
  description?: string | undefined;
  /**
   * The agent's ceiling: every token it mints must lie within these scopes, e.g.
   * `["secrets:read:production/openai/*"]`. At least one.
   */
  allowedScopes: readonly string[];
}

/** Options of `createAdmin`. */
export interface CreateAdminOptions extends AdminRequestOptions {
  /** The approver's name, as other approvers and the audit log will see it. */
  name: string;
}

/** Options of `rotateAgentKey` and `rotateAdminKey`. */
export interface RotateKeyOptions extends AdminRequestOptions {
  /**
   * Also revoke every token the old key minted, with their descendants.
   * @default false (they stay valid)
   */
  revokeTokens?: boolean;
}

/** Options of `createTenant`. */
export interface CreateTenantOptions extends AdminRequestOptions {
  /** The tenant's name, e.g. a team or a customer. */
  name: string;
}

/** Options of `verifyAudit`. */
export interface VerifyAuditOptions extends AdminRequestOptions {
  /** Checkpoints from `auditCheckpoint`, as they were returned; the chain must still hold each. */
  checkpoints?: readonly AuditCheckpoint[] | undefined;
}
