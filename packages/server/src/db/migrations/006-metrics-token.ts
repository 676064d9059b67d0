import type { Kysely, Migration } from "kysely";
import type { ColumnTypes } from "../column-types.js";

/**
 * The metrics token (issue 17, item 9): `/metrics` asks for it unless the configuration names a
 * token of its own or makes the metrics public. Made at first start with the first keys and kept,
 * like every credential, as a keyed hash only, on the operator's tenant (every instance sharing
 * the database accepts it). Null on vaults created before: those set `metrics.token`.
 */
export function metricsTokenMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("tenants").addColumn("metrics_token_hash", types.text).execute();
    },
  };
}
