import type { Kysely, Migration } from "kysely";
import type { ColumnTypes } from "../column-types.js";

/**
 * What the credential broker asks of a secret (issue 18, items 3 and 4): `allowed_destinations`,
 * JSON `[{origin, path_prefixes?}]` or null (no binding), and `approval`, `"per_call"` or null
 * (every brokered call needs a person's approval of that one call). Null on every older secret.
 */
export function secretBrokerBindingsMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("secrets").addColumn("allowed_destinations", types.text).execute();
      await db.schema.alterTable("secrets").addColumn("approval", types.text).execute();
    },
  };
}
