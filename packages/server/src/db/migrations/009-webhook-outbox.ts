import type { Kysely, Migration } from "kysely";
import type { ColumnTypes } from "../column-types.js";

/**
 * Durable webhooks (issue 17, item 11). `webhook_outbox` holds every approval event, written in
 * the transaction of the change it announces, until it is delivered (then pruned after the
 * retention) or given up on (kept as `failed`). `seq` orders a tenant's events in commit order:
 * it comes from `webhook_outbox_heads`, whose row the writing transaction holds until it commits.
 * A deliverer claims an event by setting `lease_owner` / `lease_until` with a conditional update
 * (the same on both engines). `tenant_webhooks` is a tenant's own receiver; its signing secret is
 * sealed (base64 of the envelope format), never stored in clear.
 */
export function webhookOutboxMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("webhook_outbox")
        .addColumn("id", types.text, (column) => column.primaryKey())
        .addColumn("tenant_id", types.text, (column) => column.notNull())
        .addColumn("seq", types.integer, (column) => column.notNull())
        .addColumn("event_type", types.text, (column) => column.notNull())
        .addColumn("body", types.text, (column) => column.notNull())
        .addColumn("state", types.text, (column) => column.notNull())
        .addColumn("attempts", types.integer, (column) => column.notNull())
        .addColumn("next_attempt_at", types.timestamp, (column) => column.notNull())
        .addColumn("lease_owner", types.text)
        .addColumn("lease_until", types.timestamp)
        .addColumn("last_status", types.text)
        .addColumn("last_attempt_at", types.timestamp)
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .addColumn("finished_at", types.timestamp)
        .addUniqueConstraint("webhook_outbox_tenant_seq", ["tenant_id", "seq"])
        .execute();
      await db.schema
        .createIndex("webhook_outbox_state")
        .on("webhook_outbox")
        .columns(["state", "tenant_id", "seq"])
        .execute();
      await db.schema
        .createTable("webhook_outbox_heads")
        .addColumn("tenant_id", types.text, (column) => column.primaryKey())
        .addColumn("last_seq", types.integer, (column) => column.notNull())
        .execute();
      await db.schema
        .createTable("tenant_webhooks")
        .addColumn("tenant_id", types.text, (column) => column.primaryKey())
        .addColumn("url", types.text, (column) => column.notNull())
        .addColumn("sealed_secret", types.text, (column) => column.notNull())
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .addColumn("updated_at", types.timestamp, (column) => column.notNull())
        .execute();
    },
  };
}
