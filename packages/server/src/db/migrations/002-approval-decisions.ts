import type { Kysely, Migration } from "kysely";
import type { ColumnTypes } from "../column-types.js";

/** The lifetime a request had before it was stored: the policy's default, 24 hours. */
const LEGACY_REQUEST_TTL_MS = 86_400_000;

type LegacyRows = {
  approvals: { id: string; token_id: string | null; created_at: string; expires_at: string | null };
  tokens: { id: string; expires_at: string };
};

/**
 * Gives requests made before this migration their expiry: a token's request expires with its
 * token, an agent's read request a day after it was made. Computed in JS, as date arithmetic in
 * SQL differs between SQLite and PostgreSQL.
 */
async function backfillExpiry(db: Kysely<LegacyRows>): Promise<void> {
  const rows = await db
    .selectFrom("approvals")
    .leftJoin("tokens", "tokens.id", "approvals.token_id")
    .select([
      "approvals.id as id",
      "approvals.created_at as created_at",
      "tokens.expires_at as token_expires_at",
    ])
    .where("approvals.expires_at", "is", null)
    .execute();
  for (const row of rows) {
    const expiresAt =
      row.token_expires_at ??
      new Date(Date.parse(row.created_at) + LEGACY_REQUEST_TTL_MS).toISOString();
    await db
      .updateTable("approvals")
      .set({ expires_at: expiresAt })
      .where("id", "=", row.id)
      .execute();
  }
}

/**
 * What deciding approval requests needs (issue #4), added to the first schema's `approvals`
 * table: when a still-pending request expires, who ended it and why, and a `version` that every
 * decision bumps, so a decision is a conditional write (`WHERE version = <read> AND status =
 * 'pending'`) and two racing decisions cannot both win, on one instance or several. One column
 * per statement, as SQLite's ALTER TABLE takes them; column kinds from `types`.
 */
export function approvalDecisionsMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("approvals").addColumn("expires_at", types.timestamp).execute();
      await db.schema.alterTable("approvals").addColumn("decided_by", types.text).execute();
      await db.schema.alterTable("approvals").addColumn("decision_comment", types.text).execute();
      await db.schema
        .alterTable("approvals")
        .addColumn("version", types.integer, (column) => column.notNull().defaultTo(0))
        .execute();
      await backfillExpiry(db as Kysely<LegacyRows>);
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
}
