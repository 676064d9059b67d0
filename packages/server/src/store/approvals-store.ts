import type { Tier } from "@agentsecretstore/protocol";
import type { Kysely } from "kysely";
import type { CallDigest } from "../broker/call-digest.js";
import type { ApprovalsTable, Database } from "../db/schema.js";
import { parseJsonColumn, parseStringArray } from "./json-column.js";

/** The one brokered call a per-call approval request admits (broker/call-digest.ts makes it). */
export type ApprovalCall = CallDigest;

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
  /** When a still-pending request stops being decidable; null only on rows from before issue #4. */
  expiresAt: string | null;
  decidedBy: string | null;
  decisionComment: string | null;
  /** Bumped by every decision (see {@link ApprovalsStore.updateIfUnchanged}). */
  version: number;
  /** A per-call request's call; null for every other request. */
  call: ApprovalCall | null;
  /** When the approved call went out; null until then (and for every other request). */
  usedAt: string | null;
};

export type ApprovalDecisionRecord = {
  /** The approving admin's id. */
  by: string;
  /** The approving admin's name, or null when that admin no longer exists. */
  byName: string | null;
  at: string;
  comment: string | null;
  /** When the approving admin was deleted, or null while it exists. */
  approverDeletedAt: string | null;
};

/** What a decision changes on a request. */
export type ApprovalChangeFields = Pick<
  ApprovalRecord,
  "status" | "eligibleAt" | "decidedAt" | "decidedBy" | "decisionComment" | "grantExpiresAt"
>;

/** Where listing resumes: after this (created_at, id). */
export type ApprovalCursor = { createdAt: string; id: string };

export type ApprovalFilter = {
  tenantId: string;
  status?: ApprovalsTable["status"];
  after: ApprovalCursor | null;
  limit: number;
};

/**
 * Approval requests and the approvals given to them. Deciding is a conditional write on the row's
 * `version` and `status = 'pending'`: of two racing decisions exactly one changes the row.
 */
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
        expires_at: approval.expiresAt,
        decided_by: approval.decidedBy,
        decision_comment: approval.decisionComment,
        version: approval.version,
        call: approval.call === null ? null : JSON.stringify(approval.call),
        used_at: approval.usedAt,
      })
      .execute();
  }

  /**
   * Marks an approved per-call request used, once: of two racing calls with the same approval
   * exactly one gets `true`.
   */
  async markCallUsed(tenantId: string, approvalId: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("approvals")
      .set({ used_at: at })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", approvalId)
      .where("status", "=", "approved")
      .where("used_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
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

  /** An agent's latest request for one path whose stored status is still pending. */
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

  /**
   * An admin's latest request for one admin action (`scopes` exactly `[scope]`, no path, no token)
   * that is still pending, or approved with its one use not yet spent (`grant_expires_at` later
   * than `nowIso`).
   */
  async findOpenAdminAction(
    tenantId: string,
    adminId: string,
    scope: string,
    nowIso: string,
  ): Promise<ApprovalRecord | undefined> {
    const row = await this.db
      .selectFrom("approvals")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("requested_by_id", "=", adminId)
      .where("requested_by_type", "=", "admin")
      .where("scopes", "=", JSON.stringify([scope]))
      .where("path", "is", null)
      .where("token_id", "is", null)
      .where((eb) =>
        eb.or([
          eb("status", "=", "pending"),
          eb.and([eb("status", "=", "approved"), eb("grant_expires_at", ">", nowIso)]),
        ]),
      )
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    return row && toApproval(row);
  }

  /**
   * Spends an approved admin action's one use: ends its grant at `nowIso` if it still runs. False
   * when it was spent already (a racing retry) or its grant ran out.
   */
  async spendGrant(tenantId: string, approvalId: string, nowIso: string): Promise<boolean> {
    const result = await this.db
      .updateTable("approvals")
      .set((eb) => ({ grant_expires_at: nowIso, version: eb("version", "+", 1) }))
      .where("tenant_id", "=", tenantId)
      .where("id", "=", approvalId)
      .where("status", "=", "approved")
      .where("grant_expires_at", ">", nowIso)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** A page of the tenant's requests by stored status, oldest first. */
  async list(filter: ApprovalFilter): Promise<ApprovalRecord[]> {
    const after = filter.after;
    const rows = await this.db
      .selectFrom("approvals")
      .selectAll()
      .where("tenant_id", "=", filter.tenantId)
      .$if(filter.status !== undefined, (query) =>
        query.where("status", "=", filter.status ?? "pending"),
      )
      .$if(after !== null, (query) =>
        query.where((eb) =>
          eb.or([
            eb("created_at", ">", after?.createdAt ?? ""),
            eb.and([eb("created_at", "=", after?.createdAt ?? ""), eb("id", ">", after?.id ?? "")]),
          ]),
        ),
      )
      .orderBy("created_at")
      .orderBy("id")
      .limit(filter.limit)
      .execute();
    return rows.map(toApproval);
  }

  /**
   * Ids of the tenant's stored-pending requests whose time has come at `nowIso`: expired, or past
   * the end of a critical delay. They are settled before a listing so that it shows true statuses.
   */
  async listDueIds(tenantId: string, nowIso: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("approvals")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("status", "=", "pending")
      .where((eb) => eb.or([eb("expires_at", "<=", nowIso), eb("eligible_at", "<=", nowIso)]))
      .orderBy("created_at")
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  /** Ids of stored-pending requests made by `requesterId` or gating one of `tokenIds`. */
  async listPendingIdsFor(
    tenantId: string,
    options: { requesterId?: string; tokenIds?: readonly string[] },
  ): Promise<string[]> {
    const tokenIds = options.tokenIds ?? [];
    if (options.requesterId === undefined && tokenIds.length === 0) return [];
    const rows = await this.db
      .selectFrom("approvals")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("status", "=", "pending")
      .where((eb) =>
        eb.or([
          ...(options.requesterId === undefined
            ? []
            : [eb("requested_by_id", "=", options.requesterId)]),
          ...(tokenIds.length === 0 ? [] : [eb("token_id", "in", [...tokenIds])]),
        ]),
      )
      .orderBy("created_at")
      .execute();
    return rows.map((row) => row.id);
  }

  /** One tenant's requests still open at `nowIso` (stored pending, not expired), by tier. */
  async countPendingByTier(
    tenantId: string,
    nowIso: string,
  ): Promise<{ tier: Tier; count: number }[]> {
    const rows = await this.db
      .selectFrom("approvals")
      .select((eb) => ["tier", eb.fn.countAll().as("count")])
      .where("tenant_id", "=", tenantId)
      .where("status", "=", "pending")
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", nowIso)]))
      .groupBy("tier")
      .execute();
    // count(*) is a bigint: a string from pg unless parsed, a number from SQLite.
    return rows.map((row) => ({ tier: row.tier, count: Number(row.count) }));
  }

  /**
   * Writes a decision if nobody else decided since the row was read at `expectedVersion`: a single
   * `UPDATE … WHERE version = ? AND status = 'pending'`. Returns false when it lost the race.
   */
  async updateIfUnchanged(
    tenantId: string,
    approvalId: string,
    expectedVersion: number,
    fields: ApprovalChangeFields,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable("approvals")
      .set((eb) => ({
        status: fields.status,
        eligible_at: fields.eligibleAt,
        decided_at: fields.decidedAt,
        decided_by: fields.decidedBy,
        decision_comment: fields.decisionComment,
        grant_expires_at: fields.grantExpiresAt,
        version: eb("version", "+", 1),
      }))
      .where("tenant_id", "=", tenantId)
      .where("id", "=", approvalId)
      .where("version", "=", expectedVersion)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Bumps the version of every still-pending request `adminId` approved, so that a decision
   * computed before that admin was deleted (on this instance or another) loses its conditional
   * write, is retried, and no longer counts the deleted admin's approval.
   */
  async invalidatePendingApprovedBy(tenantId: string, adminId: string): Promise<number> {
    const result = await this.db
      .updateTable("approvals")
      .set((eb) => ({ version: eb("version", "+", 1) }))
      .where("tenant_id", "=", tenantId)
      .where("status", "=", "pending")
      .where("id", "in", (eb) =>
        eb
          .selectFrom("approval_decisions")
          .select("approval_decisions.approval_id")
          .where("approval_decisions.tenant_id", "=", tenantId)
          .where("approval_decisions.admin_id", "=", adminId),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Records one admin's approval (the primary key allows one per admin and request). */
  async insertApproval(approval: {
    approvalId: string;
    tenantId: string;
    adminId: string;
    comment: string | null;
    at: string;
  }): Promise<void> {
    await this.db
      .insertInto("approval_decisions")
      .values({
        approval_id: approval.approvalId,
        tenant_id: approval.tenantId,
        admin_id: approval.adminId,
        decision: "approve",
        comment: approval.comment,
        at: approval.at,
      })
      .execute();
  }

  /**
   * The approvals given to a request, oldest first, with each approver's name and deletion time
   * (whether they still count is decided in `approval-decisions.ts`).
   */
  async listDecisions(tenantId: string, approvalId: string): Promise<ApprovalDecisionRecord[]> {
    const rows = await this.db
      .selectFrom("approval_decisions")
      .leftJoin("admins", "admins.id", "approval_decisions.admin_id")
      .select([
        "approval_decisions.admin_id as admin_id",
        "approval_decisions.at as at",
        "approval_decisions.comment as comment",
        "admins.name as admin_name",
        "admins.deleted_at as admin_deleted_at",
      ])
      .where("approval_decisions.tenant_id", "=", tenantId)
      .where("approval_decisions.approval_id", "=", approvalId)
      .where("approval_decisions.decision", "=", "approve")
      .orderBy("approval_decisions.at")
      .orderBy("approval_decisions.admin_id")
      .execute();
    return rows.map((row) => ({
      by: row.admin_id,
      byName: row.admin_name ?? null,
      at: row.at,
      comment: row.comment,
      approverDeletedAt: row.admin_deleted_at ?? null,
    }));
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
    expiresAt: row.expires_at,
    decidedBy: row.decided_by,
    decisionComment: row.decision_comment,
    version: row.version,
    call: row.call === null ? null : parseJsonColumn<ApprovalCall | null>(row.call, null),
    usedAt: row.used_at,
  };
}
