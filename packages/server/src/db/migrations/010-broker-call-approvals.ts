import type { Kysely, Migration } from "kysely";
import type { ColumnTypes } from "../column-types.js";

/**
 * Per-call approvals of brokered calls (issue 18, item 4), on `approvals`: `call`, JSON of the
 * one call a per-call request admits (its hash, method, masked URL, body digest and preview),
 * null for every other request; and `used_at`, when the approved call went out (a per-call
 * approval admits its call once). Null on every older row.
 */
export function brokerCallApprovalsMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("approvals").addColumn("call", types.text).execute();
      await db.schema.alterTable("approvals").addColumn("used_at", types.timestamp).execute();
    },
  };
}
