import type { Tier } from "@agentsecretstore/protocol";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { parseStringRecord } from "./json-column.js";

export type SecretRecord = {
  id: string;
  tenantId: string;
  path: string;
  namespace: string;
  key: string;
  currentVersion: number;
  tier: Tier;
  secretType: string;
  description: string | null;
  tags: Record<string, string>;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  accessedAt: string | null;
};

export type SecretVersionRecord = {
  secretId: string;
  tenantId: string;
  version: number;
  tier: Tier;
  /** The sealed envelope; opening it is the caller's job (crypto/envelope.ts). */
  sealed: Buffer;
  createdAt: string;
  retiredAt: string | null;
};

export type SecretMetadataUpdate = Partial<
  Pick<
    SecretRecord,
    "currentVersion" | "tier" | "secretType" | "description" | "tags" | "expiresAt" | "updatedAt"
  >
>;

/**
 * Secrets and their versions. Values arrive here already sealed. "Below a namespace" is a
 * range on `path` (`ns/` ≤ path < `ns0`, since "0" follows "/"), which needs no LIKE escaping
 * and uses the (tenant_id, path) index; PostgreSQL must compare with COLLATE "C".
 */
export class SecretsStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { rowLocks: boolean } = { rowLocks: false },
  ) {}

  async findByPath(tenantId: string, path: string): Promise<SecretRecord | undefined> {
    const row = await this.db
      .selectFrom("secrets")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("path", "=", path)
      .executeTakeFirst();
    return row && toSecret(row);
  }

  /**
   * `findByPath` for a transaction about to change the secret. On PostgreSQL the row stays locked
   * (`FOR UPDATE`) until commit: a racing write of the same path on another instance waits, then
   * reads this one's result, instead of both reading one version and colliding on the next.
   * (SQLite runs one write transaction at a time anyway.)
   */
  async findByPathForWrite(tenantId: string, path: string): Promise<SecretRecord | undefined> {
    const row = await this.db
      .selectFrom("secrets")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("path", "=", path)
      .$if(this.options.rowLocks, (query) => query.forUpdate())
      .executeTakeFirst();
    return row && toSecret(row);
  }

  async insert(secret: SecretRecord): Promise<void> {
    await this.db
      .insertInto("secrets")
      .values({
        id: secret.id,
        tenant_id: secret.tenantId,
        path: secret.path,
        namespace: secret.namespace,
        key: secret.key,
        current_version: secret.currentVersion,
        tier: secret.tier,
        secret_type: secret.secretType,
        description: secret.description,
        tags: JSON.stringify(secret.tags),
        expires_at: secret.expiresAt,
        created_at: secret.createdAt,
        updated_at: secret.updatedAt,
        accessed_at: secret.accessedAt,
      })
      .execute();
  }

  async update(tenantId: string, secretId: string, update: SecretMetadataUpdate): Promise<void> {
    await this.db
      .updateTable("secrets")
      .set({
        ...(update.currentVersion === undefined ? {} : { current_version: update.currentVersion }),
        ...(update.tier === undefined ? {} : { tier: update.tier }),
        ...(update.secretType === undefined ? {} : { secret_type: update.secretType }),
        ...(update.description === undefined ? {} : { description: update.description }),
        ...(update.tags === undefined ? {} : { tags: JSON.stringify(update.tags) }),
        ...(update.expiresAt === undefined ? {} : { expires_at: update.expiresAt }),
        ...(update.updatedAt === undefined ? {} : { updated_at: update.updatedAt }),
      })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", secretId)
      .execute();
  }

  async touchAccessed(tenantId: string, secretId: string, at: string): Promise<void> {
    await this.db
      .updateTable("secrets")
      .set({ accessed_at: at })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", secretId)
      .execute();
  }

  /** Destroys the secret and every version of it. */
  async delete(tenantId: string, secretId: string): Promise<void> {
    await this.db
      .deleteFrom("secret_versions")
      .where("tenant_id", "=", tenantId)
      .where("secret_id", "=", secretId)
      .execute();
    await this.db
      .deleteFrom("secrets")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", secretId)
      .execute();
  }

  async insertVersion(version: SecretVersionRecord): Promise<void> {
    await this.db
      .insertInto("secret_versions")
      .values({
        secret_id: version.secretId,
        tenant_id: version.tenantId,
        version: version.version,
        tier: version.tier,
        sealed: version.sealed.toString("base64"),
        created_at: version.createdAt,
        retired_at: version.retiredAt,
      })
      .execute();
  }

  async findVersion(
    tenantId: string,
    secretId: string,
    version: number,
  ): Promise<SecretVersionRecord | undefined> {
    const row = await this.db
      .selectFrom("secret_versions")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("secret_id", "=", secretId)
      .where("version", "=", version)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  /** Every version's bookkeeping, oldest first (no sealed values). */
  async listVersions(
    tenantId: string,
    secretId: string,
  ): Promise<{ version: number; createdAt: string; retiredAt: string | null }[]> {
    const rows = await this.db
      .selectFrom("secret_versions")
      .select(["version", "created_at", "retired_at"])
      .where("tenant_id", "=", tenantId)
      .where("secret_id", "=", secretId)
      .orderBy("version")
      .execute();
    return rows.map((row) => ({
      version: row.version,
      createdAt: row.created_at,
      retiredAt: row.retired_at,
    }));
  }

  async retireVersion(
    tenantId: string,
    secretId: string,
    version: number,
    retiredAt: string,
  ): Promise<void> {
    await this.db
      .updateTable("secret_versions")
      .set({ retired_at: retiredAt })
      .where("tenant_id", "=", tenantId)
      .where("secret_id", "=", secretId)
      .where("version", "=", version)
      .execute();
  }

  /**
   * Live (unexpired) secrets strictly below `namespace` ("" = the whole tenant), ordered by
   * path, starting after `afterPath`.
   */
  async listBelow(options: {
    tenantId: string;
    namespace: string;
    afterPath: string | null;
    limit: number;
    nowIso: string;
  }): Promise<SecretRecord[]> {
    const lower = options.namespace === "" ? "" : `${options.namespace}/`;
    const start =
      options.afterPath !== null && options.afterPath >= lower ? options.afterPath : null;
    const rows = await this.db
      .selectFrom("secrets")
      .selectAll()
      .where("tenant_id", "=", options.tenantId)
      .$if(start === null, (query) => query.where("path", ">=", lower))
      .$if(start !== null, (query) => query.where("path", ">", start ?? ""))
      .$if(options.namespace !== "", (query) => query.where("path", "<", `${options.namespace}0`))
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", options.nowIso)]))
      .orderBy("path")
      .limit(options.limit)
      .execute();
    return rows.map(toSecret);
  }

  /** The distinct namespaces of the tenant's live secrets ("" for top-level ones), sorted. */
  async listNamespaces(tenantId: string, nowIso: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("secrets")
      .select("namespace")
      .distinct()
      .where("tenant_id", "=", tenantId)
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", nowIso)]))
      .orderBy("namespace")
      .execute();
    return rows.map((row) => row.namespace);
  }

  /** Live secrets above the standard tier (for the token-issue tier gate). */
  async listGated(tenantId: string, nowIso: string): Promise<{ path: string; tier: Tier }[]> {
    return this.db
      .selectFrom("secrets")
      .select(["path", "tier"])
      .where("tenant_id", "=", tenantId)
      .where("tier", "!=", "standard")
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", nowIso)]))
      .execute();
  }
}

function toSecret(row: Database["secrets"]): SecretRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    path: row.path,
    namespace: row.namespace,
    key: row.key,
    currentVersion: row.current_version,
    tier: row.tier,
    secretType: row.secret_type,
    description: row.description,
    tags: parseStringRecord(row.tags),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    accessedAt: row.accessed_at,
  };
}

function toVersion(row: Database["secret_versions"]): SecretVersionRecord {
  return {
    secretId: row.secret_id,
    tenantId: row.tenant_id,
    version: row.version,
    tier: row.tier,
    sealed: Buffer.from(row.sealed, "base64"),
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}
