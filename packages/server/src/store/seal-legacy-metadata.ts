import type { Kysely } from "kysely";
import { sealedFormatOf } from "../crypto/envelope.js";
import { secretMetadataMac, versionMetadataMac } from "../crypto/metadata-mac.js";
import type { Database } from "../db/schema.js";

/** Rows MACed per statement batch while an old vault is upgraded. */
const BATCH = 500;

/**
 * Gives every secret and version row of a vault written before metadata MACs its MAC, as the
 * rows stand (migration 007 runs this once). Later writes compute it in the statement that
 * changes the fields (store/secrets-store.ts).
 */
export async function sealLegacySecretMetadata(
  db: Kysely<Database>,
  metadataKey: Buffer,
): Promise<void> {
  for (let after = ""; ; ) {
    const secrets = await db
      .selectFrom("secrets")
      .select(["id", "tenant_id", "path", "tier", "current_version", "expires_at"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(BATCH)
      .execute();
    for (const row of secrets) {
      await db
        .updateTable("secrets")
        .set({
          meta_mac: secretMetadataMac(metadataKey, {
            tenantId: row.tenant_id,
            id: row.id,
            path: row.path,
            tier: row.tier,
            currentVersion: row.current_version,
            expiresAt: row.expires_at,
          }),
        })
        .where("id", "=", row.id)
        .execute();
      const versions = await db
        .selectFrom("secret_versions")
        .select(["secret_id", "tenant_id", "version", "tier", "retired_at", "sealed"])
        .where("secret_id", "=", row.id)
        .execute();
      for (const version of versions) {
        await db
          .updateTable("secret_versions")
          .set({
            meta_mac: versionMetadataMac(metadataKey, {
              tenantId: version.tenant_id,
              secretId: version.secret_id,
              version: version.version,
              tier: version.tier,
              retiredAt: version.retired_at,
              sealedFormat: sealedFormatOf(Buffer.from(version.sealed, "base64")),
            }),
          })
          .where("secret_id", "=", version.secret_id)
          .where("version", "=", version.version)
          .execute();
      }
    }
    const last = secrets.at(-1);
    if (last === undefined || secrets.length < BATCH) return;
    after = last.id;
  }
}
