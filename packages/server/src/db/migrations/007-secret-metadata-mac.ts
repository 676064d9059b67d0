import type { Kysely, Migration } from "kysely";
import { sealLegacySecretMetadata } from "../../store/seal-legacy-metadata.js";
import type { ColumnTypes } from "../column-types.js";
import type { Database } from "../schema.js";

/** What migration 007 needs: the metadata MAC key, absent where no master key is at hand. */
export type SecretMetadataMacOptions = {
  types: ColumnTypes;
  /** `deriveKey(masterKey, "secret-metadata")`. */
  metadataKey: Buffer | undefined;
};

/**
 * Secrets and versions carry a MAC of what a read decides on (issue 17, item 13: tier, current
 * version, expiry, retirement), so that a database writer cannot downgrade a critical secret
 * unseen. The rows an older vault holds get their MAC here, and only here (in the migration's
 * transaction on PostgreSQL, its own on SQLite): after it, a row without a valid MAC is refused,
 * so nothing a database writer adds or clears later is adopted.
 */
export function secretMetadataMacMigration(options: SecretMetadataMacOptions): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("secrets").addColumn("meta_mac", options.types.text).execute();
      await db.schema
        .alterTable("secret_versions")
        .addColumn("meta_mac", options.types.text)
        .execute();
      const vault = db as unknown as Kysely<Database>;
      const run = async (executor: Kysely<Database>) => {
        const { metadataKey } = options;
        if (metadataKey === undefined) {
          const any = await executor.selectFrom("secrets").select("id").executeTakeFirst();
          if (any === undefined) return;
          throw new Error(
            "the secrets' metadata must be authenticated under the master key: start the server (ass server) once before this command",
          );
        }
        await sealLegacySecretMetadata(executor, metadataKey);
      };
      if (vault.isTransaction) await run(vault);
      else await vault.transaction().execute(run);
    },
  };
}
