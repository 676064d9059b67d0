import type { Kysely, Migration } from "kysely";

/**
 * What deciding approval requests needs (issue #4), added to the first schema's `approvals`
 * table: when a still-pending request expires, who ended it and why, and a `version` that every
 * decision bumps, so a decision is a conditional write (`WHERE version = <read> AND status =
 * 'pending'`) and two racing decisions cannot both win, on one instance or several. One column
 * per statement, as SQLite's ALTER TABLE takes them; portable types only.
 */
export const approvalDecisionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable("approvals").addColumn("expires_at", "text").execute();
    await db.schema.alterTable("approvals").addColumn("decided_by", "text").execute();
    await db.schema.alterTable("approvals").addColumn("decision_comment", "text").execute();
    await db.schema
      .alterTable("approvals")
      .addColumn("version", "integer", (column) => column.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex("approvals_tenant_status")
      .on("approvals")
      .columns(["tenant_id", "status", "created_at"])
      .execute();
    await db.schema
      .createIndex("approvals_tenant_token")
      .on("approvals")
      .columns(["tenant_id", "token_id"])
      .execute();
  },
};
