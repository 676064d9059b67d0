import type { Kysely } from "kysely";
import type { ApprovalsTable, Database, Tier } from "../db/schema.js";
import { parseStringArray } from "./json-column.js";

export type ApprovalRecord = {
  id: string;
  tenantId: string;
  status: ApprovalsTable["status"];
  tier: Tier;
  scopes: string[];
  path: string | null;
  requestedByType: ApprovalsTable["requested_by_type"];
  requestedById: string;
  tokenId: string | null;
  description: string | null;
  requiredApprovals: number;
  eligibleAt: string | null;
  decidedAt: string | null;
  grantExpiresAt: string | null;
  createdAt: string;
};

export type ApprovalDecisionRecord = { by: string; at: string; comment: string | null };

/** Approval requests for the tier gate (issue #4 adds decisions and long-polling on top). */
export class ApprovalsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(approval: ApprovalRecord): Promise<void> {
    await this.db
      .insertInto("approvals")
      .values({
        id: approval.id,
        tenant_id: approval.tenantId,
        status: approval.status,
        tier: approval.tier,
        scopes: JSON.stringify(approval.scopes),
        path: approval.path,
        requested_by_type: approval.requestedByType,
        requested_by_id: approval.requestedById,
        token_id: approval.tokenId,
        description: approval.description,
        required_approvals: approval.requiredApprovals,
        eligible_at: approval.eligibleAt,
        decided_at: approval.decidedAt,
        grant_expires_at: approval.grantExpiresAt,
        created_at: approval.createdAt,
      })
      .execute();
  }

  async findById(tenantId: string, approvalId: string): Promise<ApprovalRecord | undefined> {
    const row = await this.db
      .selectFrom("approvals")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "=", approvalId)
      .executeTakeFirst();
    return row && toApproval(row);
  }

  /** An agent's still-pending read request for one path, to reuse instead of piling up. */
  async findPendingRead(
    tenantId: string,
    agentId: string,
    path: string,
  ): Promise<ApprovalRecord | undefined> {
    const row = await this.db
      .selectFrom("approvals")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("requested_by_id", "=", agentId)
      .where("path", "=", path)
      .where("status", "=", "pending")
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    return row && toApproval(row);
  }

  /** An approved read request of this agent for this path whose grant still runs at `nowIso`. */
  async findActiveGrant(
    tenantId: string,
    agentId: string,
    path: string,
    nowIso: string,
  ): Promise<ApprovalRecord | undefined> {
    const row = await this.db
      .selectFrom("approvals")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("requested_by_id", "=", agentId)
      .where("path", "=", path)
      .where("status", "=", "approved")
      .where("grant_expires_at", ">", nowIso)
      .orderBy("grant_expires_at", "desc")
      .executeTakeFirst();
    return row && toApproval(row);
  }

  async listDecisions(tenantId: string, approvalId: string): Promise<ApprovalDecisionRecord[]> {
    const rows = await this.db
      .selectFrom("approval_decisions")
      .select(["admin_id", "at", "comment"])
      .where("tenant_id", "=", tenantId)
      .where("approval_id", "=", approvalId)
      .where("decision", "=", "approve")
      .orderBy("at")
      .execute();
    return rows.map((row) => ({ by: row.admin_id, at: row.at, comment: row.comment }));
  }
}

function toApproval(row: Database["approvals"]): ApprovalRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status,
    tier: row.tier,
    scopes: parseStringArray(row.scopes),
    path: row.path,
    requestedByType: row.requested_by_type,
    requestedById: row.requested_by_id,
    tokenId: row.token_id,
    description: row.description,
    requiredApprovals: row.required_approvals,
    eligibleAt: row.eligible_at,
    decidedAt: row.decided_at,
    grantExpiresAt: row.grant_expires_at,
    createdAt: row.created_at,
  };
}
