import { type Kysely, type Migration, sql } from "kysely";

type PendingReadRows = {
  approvals: {
    id: string;
    tenant_id: string;
    status: string;
    tier: string;
    path: string | null;
    requested_by_id: string;
    token_id: string | null;
    created_at: string;
    decided_at: string | null;
    decision_comment: string | null;
    version: number;
  };
};

/** Why a duplicate found by this migration was cancelled (shown as its decision comment). */
const DUPLICATE_COMMENT = "duplicate of a newer pending request for the same read";

/**
 * Older duplicates of an agent's pending read request (same tenant, agent, path and tier) are
 * cancelled, keeping the newest: the one the server already pointed the agent to. Found in JS,
 * as the same query then runs on SQLite and PostgreSQL.
 */
async function cancelDuplicates(db: Kysely<PendingReadRows>, at: string): Promise<void> {
  const rows = await db
    .selectFrom("approvals")
    .select(["id", "tenant_id", "requested_by_id", "path", "tier"])
    .where("status", "=", "pending")
    .where("token_id", "is", null)
    .where("path", "is not", null)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const seen = new Set<string>();
  for (const row of rows) {
    const key = JSON.stringify([row.tenant_id, row.requested_by_id, row.path, row.tier]);
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    await db
      .updateTable("approvals")
      .set((eb) => ({
        status: "cancelled",
        decided_at: at,
        decision_comment: DUPLICATE_COMMENT,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", row.id)
      .execute();
  }
}

/**
 * At most one pending read request per agent, path and tier: a partial unique index (SQLite and
 * PostgreSQL both have them). Two instances that race to open the request for the same read
 * then cannot both succeed: the loser's transaction fails on the index, runs again, and finds the
 * winner's request. The tier is in the key because a secret whose tier was raised needs a new
 * request at the higher tier while the lower one is still open.
 */
export function onePendingReadMigration(now: () => Date = () => new Date()): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await cancelDuplicates(db as Kysely<PendingReadRows>, now().toISOString());
      await db.schema
        .createIndex("approvals_one_pending_read")
        .on("approvals")
        .columns(["tenant_id", "requested_by_id", "path", "tier"])
        .unique()
        .where(sql<boolean>`status = 'pending' and token_id is null`)
        .execute();
    },
  };
}
