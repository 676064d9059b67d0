import type { Kysely, Migration } from "kysely";

/**
 * The first schema. Only portable column types (text, integer) so the same migration runs
 * on SQLite and PostgreSQL; every table but the chain head carries `tenant_id` first in its keys.
 */
export const initialMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("tenants")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("name", "text", (column) => column.notNull())
      .addColumn("key_check", "text", (column) => column.notNull())
      .addColumn("created_at", "text", (column) => column.notNull())
      .execute();

    await db.schema
      .createTable("agents")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("tenant_id", "text", (column) => column.notNull().references("tenants.id"))
      .addColumn("name", "text", (column) => column.notNull())
      .addColumn("description", "text")
      .addColumn("key_hash", "text", (column) => column.notNull().unique())
      .addColumn("allowed_scopes", "text", (column) => column.notNull())
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("deleted_at", "text")
      .execute();

    await db.schema
      .createTable("admins")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("tenant_id", "text", (column) => column.notNull().references("tenants.id"))
      .addColumn("name", "text", (column) => column.notNull())
      .addColumn("key_hash", "text", (column) => column.notNull().unique())
      .addColumn("is_operator", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("deleted_at", "text")
      .execute();

    await db.schema
      .createTable("tokens")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("tenant_id", "text", (column) => column.notNull().references("tenants.id"))
      .addColumn("token_hash", "text", (column) => column.notNull().unique())
      .addColumn("issuer_type", "text", (column) => column.notNull())
      .addColumn("issuer_id", "text", (column) => column.notNull())
      .addColumn("parent_token_id", "text")
      .addColumn("scopes", "text", (column) => column.notNull())
      .addColumn("description", "text")
      .addColumn("allowed_ips", "text")
      .addColumn("max_uses", "integer")
      .addColumn("uses", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("ttl_seconds", "integer", (column) => column.notNull())
      .addColumn("expires_at", "text", (column) => column.notNull())
      .addColumn("revoked_at", "text")
      .addColumn("approval_status", "text", (column) => column.notNull())
      .addColumn("approval_request_id", "text")
      .addColumn("approved_tier", "text", (column) => column.notNull())
      .addColumn("created_at", "text", (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex("tokens_parent")
      .on("tokens")
      .columns(["tenant_id", "parent_token_id"])
      .execute();

    await db.schema
      .createTable("secrets")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("tenant_id", "text", (column) => column.notNull().references("tenants.id"))
      .addColumn("path", "text", (column) => column.notNull())
      .addColumn("namespace", "text", (column) => column.notNull())
      .addColumn("key", "text", (column) => column.notNull())
      .addColumn("current_version", "integer", (column) => column.notNull())
      .addColumn("tier", "text", (column) => column.notNull())
      .addColumn("secret_type", "text", (column) => column.notNull())
      .addColumn("description", "text")
      .addColumn("tags", "text", (column) => column.notNull())
      .addColumn("expires_at", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("updated_at", "text", (column) => column.notNull())
      .addColumn("accessed_at", "text")
      .addUniqueConstraint("secrets_tenant_path", ["tenant_id", "path"])
      .execute();

    await db.schema
      .createTable("secret_versions")
      .addColumn("secret_id", "text", (column) =>
        column.notNull().references("secrets.id").onDelete("cascade"),
      )
      .addColumn("tenant_id", "text", (column) => column.notNull())
      .addColumn("version", "integer", (column) => column.notNull())
      .addColumn("tier", "text", (column) => column.notNull())
      .addColumn("sealed", "text", (column) => column.notNull())
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("retired_at", "text")
      .addPrimaryKeyConstraint("secret_versions_pk", ["secret_id", "version"])
      .execute();

    await db.schema
      .createTable("audit_events")
      .addColumn("tenant_id", "text", (column) => column.notNull())
      .addColumn("seq", "integer", (column) => column.notNull())
      .addColumn("id", "text", (column) => column.notNull().unique())
      .addColumn("at", "text", (column) => column.notNull())
      .addColumn("event", "text", (column) => column.notNull())
      .addColumn("actor_type", "text", (column) => column.notNull())
      .addColumn("actor_id", "text")
      .addColumn("token_id", "text")
      .addColumn("path", "text")
      .addColumn("version", "integer")
      .addColumn("ip", "text")
      .addColumn("outcome", "text", (column) => column.notNull())
      .addColumn("request_id", "text")
      .addColumn("detail", "text")
      .addColumn("prev_hash", "text", (column) => column.notNull())
      .addColumn("hash", "text", (column) => column.notNull())
      .addPrimaryKeyConstraint("audit_events_pk", ["tenant_id", "seq"])
      .execute();

    await db.schema
      .createTable("audit_heads")
      .addColumn("tenant_id", "text", (column) => column.primaryKey())
      .addColumn("seq", "integer", (column) => column.notNull())
      .addColumn("hash", "text", (column) => column.notNull())
      .execute();

    await db.schema
      .createTable("idempotency_keys")
      .addColumn("tenant_id", "text", (column) => column.notNull())
      .addColumn("credential_hash", "text", (column) => column.notNull())
      .addColumn("key", "text", (column) => column.notNull())
      .addColumn("request_hash", "text", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("response", "text", (column) => column.notNull())
      .addColumn("created_at", "text", (column) => column.notNull())
      .addPrimaryKeyConstraint("idempotency_keys_pk", ["tenant_id", "credential_hash", "key"])
      .execute();

    await db.schema
      .createTable("approvals")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("tenant_id", "text", (column) => column.notNull().references("tenants.id"))
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("tier", "text", (column) => column.notNull())
      .addColumn("scopes", "text", (column) => column.notNull())
      .addColumn("path", "text")
      .addColumn("requested_by_type", "text", (column) => column.notNull())
      .addColumn("requested_by_id", "text", (column) => column.notNull())
      .addColumn("token_id", "text")
      .addColumn("description", "text")
      .addColumn("required_approvals", "integer", (column) => column.notNull())
      .addColumn("eligible_at", "text")
      .addColumn("decided_at", "text")
      .addColumn("grant_expires_at", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex("approvals_requester_path")
      .on("approvals")
      .columns(["tenant_id", "requested_by_id", "path"])
      .execute();

    await db.schema
      .createTable("approval_decisions")
      .addColumn("approval_id", "text", (column) =>
        column.notNull().references("approvals.id").onDelete("cascade"),
      )
      .addColumn("tenant_id", "text", (column) => column.notNull())
      .addColumn("admin_id", "text", (column) => column.notNull())
      .addColumn("decision", "text", (column) => column.notNull())
      .addColumn("comment", "text")
      .addColumn("at", "text", (column) => column.notNull())
      .addPrimaryKeyConstraint("approval_decisions_pk", ["approval_id", "admin_id"])
      .execute();
  },
};
