import type { Kysely, Migration } from "kysely";
import type { ColumnTypes } from "../column-types.js";

/**
 * The keyring (issue 17, item 6): one row per master key the vault has known, by key id. Each
 * row not yet retired holds the vault key (what credential hashes, the audit chain and metadata
 * MACs derive from) wrapped under that master key; while a rotation runs, the new key's row also
 * holds the new key wrapped under the old one, so that an instance still given only the old key
 * keeps reading and writing. See src/crypto/keyring.ts. Filled at the first start (or, for a
 * vault from before, at the first start of this code), not here.
 */
export function keyringMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("master_keys")
        .addColumn("key_id", types.text, (column) => column.primaryKey())
        .addColumn("state", types.text, (column) => column.notNull())
        .addColumn("wrapped_vault_key", types.text)
        .addColumn("bridge", types.text)
        .addColumn("bridge_key_id", types.text)
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .addColumn("retired_at", types.timestamp)
        .execute();
    },
  };
}
