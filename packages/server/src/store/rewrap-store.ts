import type { Kysely } from "kysely";
import { sealedFormatOf } from "../crypto/envelope.js";
import { versionMetadataMac } from "../crypto/metadata-mac.js";
import type { Database } from "../db/schema.js";

/** One stored version as re-wrapping needs it. */
export type SealedVersion = {
  secretId: string;
  tenantId: string;
  path: string;
  version: number;
  tier: Database["secret_versions"]["tier"];
  retiredAt: string | null;
  sealed: Buffer;
};

/** The sealed values a master-key rotation walks through and re-wraps (rotate-master-key.ts). */
export class RewrapStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { rowLocks: boolean; metadataKey: Buffer },
  ) {}

  /** The next `limit` versions after `(secretId, version)`, locked (PostgreSQL) until commit. */
  async batchAfter(
    after: { secretId: string; version: number } | null,
    limit: number,
  ): Promise<SealedVersion[]> {
    const rows = await this.db
      .selectFrom("secret_versions")
      .innerJoin("secrets", "secrets.id", "secret_versions.secret_id")
      .select([
        "secret_versions.secret_id",
        "secret_versions.tenant_id",
        "secrets.path",
        "secret_versions.version",
        "secret_versions.tier",
        "secret_versions.retired_at",
        "secret_versions.sealed",
      ])
      .$if(after !== null, (query) =>
        query.where((eb) =>
          eb.or([
            eb("secret_versions.secret_id", ">", after?.secretId ?? ""),
            eb.and([
              eb("secret_versions.secret_id", "=", after?.secretId ?? ""),
              eb("secret_versions.version", ">", after?.version ?? 0),
            ]),
          ]),
        ),
      )
      .orderBy("secret_versions.secret_id")
      .orderBy("secret_versions.version")
      .limit(limit)
      .$if(this.options.rowLocks, (query) => query.forUpdate("secret_versions"))
      .execute();
    return rows.map((row) => ({
      secretId: row.secret_id,
      tenantId: row.tenant_id,
      path: row.path,
      version: row.version,
      tier: row.tier,
      retiredAt: row.retired_at,
      sealed: Buffer.from(row.sealed, "base64"),
    }));
  }

  /** Replaces one version's sealed value (and its MAC, which covers the format). */
  async replaceSealed(version: SealedVersion, sealed: Buffer): Promise<void> {
    await this.db
      .updateTable("secret_versions")
      .set({
        sealed: sealed.toString("base64"),
        meta_mac: versionMetadataMac(this.options.metadataKey, {
          ...version,
          sealedFormat: sealedFormatOf(sealed),
        }),
      })
      .where("secret_id", "=", version.secretId)
      .where("version", "=", version.version)
      .where("sealed", "=", version.sealed.toString("base64"))
      .execute();
  }
}
