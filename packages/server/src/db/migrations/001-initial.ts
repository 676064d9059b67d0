import type { Kysely, Migration } from "kysely";
import type { ColumnTypes } from "../column-types.js";

/**
 * The first schema. Columns are named by kind (`types`: text, timestamp, integer; see
 * `column-types.ts`), so the same migration runs on SQLite and PostgreSQL; every table but the
 * chain head carries `tenant_id` first in its keys.
 */
export function initialMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("tenants")
        .addColumn("id", types.text, (column) => column.primaryKey())
        .addColumn("name", types.text, (column) => column.notNull())
        .addColumn("key_check", types.text, (column) => column.notNull())
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .execute();

      await db.schema
        .createTable("agents")
        .addColumn("id", types.text, (column) => column.primaryKey())
        .addColumn("tenant_id", types.text, (column) => column.notNull().references("tenants.id"))
        .addColumn("name", types.text, (column) => column.notNull())
        .addColumn("description", types.text)
        .addColumn("key_hash", types.text, (column) => column.notNull().unique())
        .addColumn("allowed_scopes", types.text, (column) => column.notNull())
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .addColumn("deleted_at", types.timestamp)
        .execute();

      await db.schema
        .createTable("admins")
        .addColumn("id", types.text, (column) => column.primaryKey())
        .addColumn("tenant_id", types.text, (column) => column.notNull().references("tenants.id"))
        .addColumn("name", types.text, (column) => column.notNull())
        .addColumn("key_hash", types.text, (column) => column.notNull().unique())
        .addColumn("is_operator", types.integer, (column) => column.notNull().defaultTo(0))
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .addColumn("deleted_at", types.timestamp)
        .execute();

      await db.schema
        .createTable("tokens")
        .addColumn("id", types.text, (column) => column.primaryKey())
        .addColumn("tenant_id", types.text, (column) => column.notNull().references("tenants.id"))
        .addColumn("token_hash", types.text, (column) => column.notNull().unique())
        .addColumn("issuer_type", types.text, (column) => column.notNull())
        .addColumn("issuer_id", types.text, (column) => column.notNull())
        .addColumn("parent_token_id", types.text)
        .addColumn("scopes", types.text, (column) => column.notNull())
        .addColumn("description", types.text)
        .addColumn("allowed_ips", types.text)
        .addColumn("max_uses", types.integer)
        .addColumn("uses", types.integer, (column) => column.notNull().defaultTo(0))
        .addColumn("ttl_seconds", types.integer, (column) => column.notNull())
        .addColumn("expires_at", types.timestamp, (column) => column.notNull())
        .addColumn("revoked_at", types.timestamp)
        .addColumn("approval_status", types.text, (column) => column.notNull())
        .addColumn("approval_request_id", types.text)
        .addColumn("approved_tier", types.text, (column) => column.notNull())
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex("tokens_parent")
        .on("tokens")
        .columns(["tenant_id", "parent_token_id"])
        .execute();

      await db.schema
        .createTable("secrets")
        .addColumn("id", types.text, (column) => column.primaryKey())
        .addColumn("tenant_id", types.text, (column) => column.notNull().references("tenants.id"))
        .addColumn("path", types.text, (column) => column.notNull())
        .addColumn("namespace", types.text, (column) => column.notNull())
        .addColumn("key", types.text, (column) => column.notNull())
        .addColumn("current_version", types.integer, (column) => column.notNull())
        .addColumn("tier", types.text, (column) => column.notNull())
        .addColumn("secret_type", types.text, (column) => column.notNull())
        .addColumn("description", types.text)
        .addColumn("tags", types.text, (column) => column.notNull())
        .addColumn("expires_at", types.timestamp)
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .addColumn("updated_at", types.timestamp, (column) => column.notNull())
        .addColumn("accessed_at", types.timestamp)
        .addUniqueConstraint("secrets_tenant_path", ["tenant_id", "path"])
        .execute();

      await db.schema
        .createTable("secret_versions")
        .addColumn("secret_id", types.text, (column) =>
          column.notNull().references("secrets.id").onDelete("cascade"),
        )
        .addColumn("tenant_id", types.text, (column) => column.notNull())
        .addColumn("version", types.integer, (column) => column.notNull())
        .addColumn("tier", types.text, (column) => column.notNull())
        .addColumn("sealed", types.text, (column) => column.notNull())
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .addColumn("retired_at", types.timestamp)
        .addPrimaryKeyConstraint("secret_versions_pk", ["secret_id", "version"])
        .execute();

      await db.schema
        .createTable("audit_events")
        .addColumn("tenant_id", types.text, (column) => column.notNull())
        .addColumn("seq", types.integer, (column) => column.notNull())
        .addColumn("id", types.text, (column) => column.notNull().unique())
        .addColumn("at", types.timestamp, (column) => column.notNull())
        .addColumn("event", types.text, (column) => column.notNull())
        .addColumn("actor_type", types.text, (column) => column.notNull())
        .addColumn("actor_id", types.text)
        .addColumn("token_id", types.text)
        .addColumn("path", types.text)
        .addColumn("version", types.integer)
        .addColumn("ip", types.text)
        .addColumn("outcome", types.text, (column) => column.notNull())
        .addColumn("request_id", types.text)
        .addColumn("detail", types.text)
        .addColumn("prev_hash", types.text, (column) => column.notNull())
        .addColumn("hash", types.text, (column) => column.notNull())
        .addPrimaryKeyConstraint("audit_events_pk", ["tenant_id", "seq"])
        .execute();

      await db.schema
        .createTable("audit_heads")
        .addColumn("tenant_id", types.text, (column) => column.primaryKey())
        .addColumn("seq", types.integer, (column) => column.notNull())
        .addColumn("hash", types.text, (column) => column.notNull())
        .execute();

      await db.schema
        .createTable("idempotency_keys")
        .addColumn("tenant_id", types.text, (column) => column.notNull())
        .addColumn("credential_hash", types.text, (column) => column.notNull())
        .addColumn("key", types.text, (column) => column.notNull())
        .addColumn("request_hash", types.text, (column) => column.notNull())
        .addColumn("status", types.text, (column) => column.notNull())
        .addColumn("response", types.text, (column) => column.notNull())
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint("idempotency_keys_pk", ["tenant_id", "credential_hash", "key"])
        .execute();

      await db.schema
        .createTable("approvals")
        .addColumn("id", types.text, (column) => column.primaryKey())
        .addColumn("tenant_id", types.text, (column) => column.notNull().references("tenants.id"))
        .addColumn("status", types.text, (column) => column.notNull())
        .addColumn("tier", types.text, (column) => column.notNull())
        .addColumn("scopes", types.text, (column) => column.notNull())
        .addColumn("path", types.text)
        .addColumn("requested_by_type", types.text, (column) => column.notNull())
        .addColumn("requested_by_id", types.text, (column) => column.notNull())
        .addColumn("token_id", types.text)
        .addColumn("description", types.text)
        .addColumn("required_approvals", types.integer, (column) => column.notNull())
        .addColumn("eligible_at", types.timestamp)
        .addColumn("decided_at", types.timestamp)
        .addColumn("grant_expires_at", types.timestamp)
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex("approvals_requester_path")
        .on("approvals")
        .columns(["tenant_id", "requested_by_id", "path"])
        .execute();

      await db.schema
        .createTable("approval_decisions")
        .addColumn("approval_id", types.text, (column) =>
          column.notNull().references("approvals.id").onDelete("cascade"),
        )
        .addColumn("tenant_id", types.text, (column) => column.notNull())
        .addColumn("admin_id", types.text, (column) => column.notNull())
        .addColumn("decision", types.text, (column) => column.notNull())
        .addColumn("comment", types.text)
        .addColumn("at", types.timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint("approval_decisions_pk", ["approval_id", "admin_id"])
        .execute();
    },
  };
}
