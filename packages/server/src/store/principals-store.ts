import type { Kysely } from "kysely";
import { type PreparedOwner, PreparedQueriesBySize, PreparedQuery } from "../db/prepared-query.js";
import type { Database } from "../db/schema.js";
import { parseStringArray } from "./json-column.js";

export type TenantRecord = { id: string; name: string; keyCheck: string; createdAt: string };

export type AgentRecord = {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  allowedScopes: string[];
  createdAt: string;
};

export type AdminRecord = {
  id: string;
  tenantId: string;
  name: string;
  isOperator: boolean;
  createdAt: string;
};

/** A live agent or admin by its key's hash: every request made with a key that is not cached. */
const AGENT_BY_KEY_HASH = new PreparedQuery(1, (db: Kysely<Database>, keyHash: string) =>
  db
    .selectFrom("agents")
    .selectAll()
    .where("key_hash", "=", keyHash)
    .where("deleted_at", "is", null),
);
// The admins' twin (one builder over both tables would type each row as both tables' columns).
const ADMIN_BY_KEY_HASH = new PreparedQuery(1, (db: Kysely<Database>, keyHash: string) =>
  db
    .selectFrom("admins")
    .selectAll()
    .where("key_hash", "=", keyHash)
    .where("deleted_at", "is", null),
);

/** Tenants, agents and admins: the principals that hold long-lived keys (stored as HMACs only). */
export class PrincipalsStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: {
      /** What prepared queries are kept under: one object per database (db/prepared-query.ts). */
      preparedFor: PreparedOwner;
    } = { preparedFor: {} },
  ) {}

  /** Inserts a tenant; the operator's (at first start) also carries the metrics token's hash. */
  async insertTenant(tenant: TenantRecord & { metricsTokenHash?: string }): Promise<void> {
    await this.db
      .insertInto("tenants")
      .values({
        id: tenant.id,
        name: tenant.name,
        key_check: tenant.keyCheck,
        created_at: tenant.createdAt,
        metrics_token_hash: tenant.metricsTokenHash ?? null,
      })
      .execute();
  }

  async findTenant(tenantId: string): Promise<TenantRecord | undefined> {
    const row = await this.db
      .selectFrom("tenants")
      .selectAll()
      .where("id", "=", tenantId)
      .executeTakeFirst();
    return (
      row && { id: row.id, name: row.name, keyCheck: row.key_check, createdAt: row.created_at }
    );
  }

  /** The keyed hash of the metrics token, or undefined (no first start yet, or a vault made before). */
  async findMetricsTokenHash(): Promise<string | undefined> {
    const tenant = await this.findOperatorTenant();
    if (tenant === undefined) return undefined;
    const row = await this.db
      .selectFrom("tenants")
      .select("metrics_token_hash")
      .where("id", "=", tenant.id)
      .executeTakeFirst();
    return row?.metrics_token_hash ?? undefined;
  }

  /** The tenant of the operator admin created at first start, if the vault was ever started. */
  async findOperatorTenant(): Promise<TenantRecord | undefined> {
    const row = await this.db
      .selectFrom("admins")
      .select("tenant_id")
      .where("is_operator", "=", 1)
      .orderBy("created_at")
      .executeTakeFirst();
    return row && this.findTenant(row.tenant_id);
  }

  async insertAgent(agent: AgentRecord & { keyHash: string }): Promise<void> {
    await this.db
      .insertInto("agents")
      .values({
        id: agent.id,
        tenant_id: agent.tenantId,
        name: agent.name,
        description: agent.description,
        key_hash: agent.keyHash,
        allowed_scopes: JSON.stringify(agent.allowedScopes),
        created_at: agent.createdAt,
        deleted_at: null,
      })
      .execute();
  }

  async findAgentByKeyHash(
    keyHash: string,
  ): Promise<(AgentRecord & { keyHash: string }) | undefined> {
    const [row] = await AGENT_BY_KEY_HASH.execute(this.options.preparedFor, this.db, keyHash);
    return row && { ...toAgent(row), keyHash: row.key_hash };
  }

  async findAgent(tenantId: string, agentId: string): Promise<AgentRecord | undefined> {
    const row = await this.db
      .selectFrom("agents")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "=", agentId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row && toAgent(row);
  }

  async listAgents(tenantId: string): Promise<AgentRecord[]> {
    const rows = await this.db
      .selectFrom("agents")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("deleted_at", "is", null)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toAgent);
  }

  /** Soft delete: the key stops working at once; the row stays for the audit trail. */
  async deleteAgent(tenantId: string, agentId: string, at: string): Promise<boolean> {
    return this.softDelete("agents", tenantId, agentId, at);
  }

  async insertAdmin(admin: AdminRecord & { keyHash: string }): Promise<void> {
    await this.db
      .insertInto("admins")
      .values({
        id: admin.id,
        tenant_id: admin.tenantId,
        name: admin.name,
        key_hash: admin.keyHash,
        is_operator: admin.isOperator ? 1 : 0,
        created_at: admin.createdAt,
        deleted_at: null,
      })
      .execute();
  }

  async findAdminByKeyHash(
    keyHash: string,
  ): Promise<(AdminRecord & { keyHash: string }) | undefined> {
    const [row] = await ADMIN_BY_KEY_HASH.execute(this.options.preparedFor, this.db, keyHash);
    return row && { ...toAdmin(row), keyHash: row.key_hash };
  }

  /** A live admin of the tenant, or undefined. */
  async findAdmin(tenantId: string, adminId: string): Promise<AdminRecord | undefined> {
    const row = await this.db
      .selectFrom("admins")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "=", adminId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row && toAdmin(row);
  }

  async listAdmins(tenantId: string): Promise<AdminRecord[]> {
    const rows = await this.db
      .selectFrom("admins")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("deleted_at", "is", null)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toAdmin);
  }

  /** Soft delete: the key stops working at once; the row stays for the audit trail. */
  async deleteAdmin(tenantId: string, adminId: string, at: string): Promise<boolean> {
    return this.softDelete("admins", tenantId, adminId, at);
  }

  /**
   * Replaces a live agent's or admin's key hash (a rotated key): the old key stops working at
   * once. False when there is no such live agent or admin in the tenant.
   */
  async replaceKeyHash(
    table: "agents" | "admins",
    tenantId: string,
    id: string,
    keyHash: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable(table)
      .set({ key_hash: keyHash })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Hands the operator role from one live admin of a tenant to another, in the caller's
   * transaction. False unless `fromId` is the operator and `toId` is live: the caller must then
   * roll back (the first update may have landed).
   */
  async moveOperator(tenantId: string, fromId: string, toId: string): Promise<boolean> {
    const taken = await this.db
      .updateTable("admins")
      .set({ is_operator: 0 })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", fromId)
      .where("is_operator", "=", 1)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return false;
    const given = await this.db
      .updateTable("admins")
      .set({ is_operator: 1 })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", toId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return Number(given.numUpdatedRows) === 1;
  }

  /** Whether the admin is live and holds the operator role now (the database's word, not a cache's). */
  async isOperator(tenantId: string, adminId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("admins")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", adminId)
      .where("is_operator", "=", 1)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The key hashes of these agents or admins that still exist (not deleted), by id. */
  async liveKeyHashes(
    table: "agents" | "admins",
    tenantId: string,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    const rows = await LIVE_KEY_HASHES[table].executeChunked(
      this.options.preparedFor,
      this.db,
      ids,
      (chunk) => [tenantId, ...chunk],
    );
    return new Map(rows.map((row) => [row.id, row.key_hash]));
  }

  /** Which of these agents or admins still exist (not deleted). */
  async liveIds(
    table: "agents" | "admins",
    tenantId: string,
    ids: readonly string[],
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom(table)
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("id", "in", [...ids])
      .where("deleted_at", "is", null)
      .execute();
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Only the update is shared: it touches columns both tables have, so Kysely types it exactly.
   * A shared select over `"agents" | "admins"` would type each row as having both tables'
   * columns and need a cast, so the finds and lists stay written out per table.
   */
  private async softDelete(
    table: "agents" | "admins",
    tenantId: string,
    principalId: string,
    at: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable(table)
      .set({ deleted_at: at })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", principalId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toAgent(row: Database["agents"]): AgentRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    description: row.description,
    allowedScopes: parseStringArray(row.allowed_scopes),
    createdAt: row.created_at,
  };
}

function toAdmin(row: Database["admins"]): AdminRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    isOperator: row.is_operator === 1,
    createdAt: row.created_at,
  };
}

/** Most ids in one existence check: a group commit checks every cached principal it holds. */
const LIVE_CHECK_IDS = 16;

/** The existence check of the group commit (`liveKeyHashes`), prepared per table and list size. */
const liveKeyHashesIn = (table: "agents" | "admins") =>
  new PreparedQueriesBySize<{ id: string; key_hash: string }>(
    LIVE_CHECK_IDS,
    (count) =>
      new PreparedQuery(1 + count, (db: Kysely<Database>, tenantId: unknown, ...ids: unknown[]) =>
        db
          .selectFrom(table)
          .select(["id", "key_hash"])
          .where("tenant_id", "=", tenantId as string)
          .where("id", "in", ids as string[])
          .where("deleted_at", "is", null),
      ),
  );
const LIVE_KEY_HASHES = { agents: liveKeyHashesIn("agents"), admins: liveKeyHashesIn("admins") };
