import type { DestinationBinding, Tier } from "@agentsecretstore/protocol";
import type { Kysely } from "kysely";
import { sealedFormatOf } from "../crypto/envelope.js";
import { macMatches, secretMetadataMac, versionMetadataMac } from "../crypto/metadata-mac.js";
import { type PreparedOwner, PreparedQuery } from "../db/prepared-query.js";
import type { Database } from "../db/schema.js";
import { parseJsonColumn, parseStringRecord } from "./json-column.js";
import { SecretIntegrityError } from "./secret-integrity-error.js";

export type SecretRecord = {
  id: string;
  tenantId: string;
  path: string;
  namespace: string;
  key: string;
  currentVersion: number;
  tier: Tier;
  secretType: string;
  description: string | null;
  tags: Record<string, string>;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  accessedAt: string | null;
  /** Where the broker may send the value (`allowed_destinations`); null = no binding. */
  allowedDestinations: DestinationBinding[] | null;
  /** `"per_call"`: each brokered call needs a person's approval; null = none. */
  approval: "per_call" | null;
};

export type SecretVersionRecord = {
  secretId: string;
  tenantId: string;
  version: number;
  tier: Tier;
  /** The sealed envelope; opening it is the caller's job (crypto/envelope.ts). */
  sealed: Buffer;
  createdAt: string;
  retiredAt: string | null;
};

/** A version's bookkeeping without its value: what rotation and the metadata route need. */
export type VersionBookkeeping = {
  secretId: string;
  tenantId: string;
  version: number;
  tier: Tier;
  createdAt: string;
  retiredAt: string | null;
  /** The sealed value's format byte (crypto/envelope.ts), covered by the version's MAC. */
  sealedFormat: number;
};

/**
 * A secret as a value read finds it: its record, and the version asked for (the current one
 * unless given), MAC-checked when `version()` is called, undefined when there is none.
 */
export type SecretForRead = {
  secret: SecretRecord;
  version(): SecretVersionRecord | undefined;
};

/** What the secrets store is built with besides its executor. */
export type SecretsStoreOptions = {
  /** Lock a row read for a write (`FOR UPDATE`): PostgreSQL. */
  rowLocks: boolean;
  /** The key of the metadata MACs: `deriveKey(masterKey, "secret-metadata")`. */
  metadataKey: Buffer;
  /** What prepared queries are kept under: one object per database (db/prepared-query.ts). */
  preparedFor: PreparedOwner;
};

/** The version columns a value read takes along with the secret's row. */
const VERSION_COLUMNS = [
  "version.version as v_version",
  "version.tier as v_tier",
  "version.sealed as v_sealed",
  "version.created_at as v_created_at",
  "version.retired_at as v_retired_at",
  "version.meta_mac as v_meta_mac",
] as const;

/** A secret and its current version, in one statement (the hot read). */
const SECRET_WITH_CURRENT_VERSION = new PreparedQuery(
  2,
  (db: Kysely<Database>, tenantId: string, path: string) =>
    db
      .selectFrom("secrets")
      .leftJoin("secret_versions as version", (join) =>
        join
          .onRef("version.tenant_id", "=", "secrets.tenant_id")
          .onRef("version.secret_id", "=", "secrets.id")
          .onRef("version.version", "=", "secrets.current_version"),
      )
      .selectAll("secrets")
      .select(VERSION_COLUMNS)
      .where("secrets.tenant_id", "=", tenantId)
      .where("secrets.path", "=", path),
);

/** Marks a secret read (the group commit runs it once per secret read in the batch). */
const TOUCH_ACCESSED = new PreparedQuery(
  3,
  (db: Kysely<Database>, tenantId: string, secretId: string, at: string) =>
    db
      .updateTable("secrets")
      .set({ accessed_at: at })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", secretId),
);

/** The live secrets above the standard tier (a token mint weighs its scopes against them). */
const LIVE_GATED = new PreparedQuery(2, (db: Kysely<Database>, tenantId: string, nowIso: string) =>
  db
    .selectFrom("secrets")
    .select(["path", "tier"])
    .where("tenant_id", "=", tenantId)
    .where("tier", "!=", "standard")
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", nowIso)])),
);

/** A secret's row by path; the write's form locks it until commit (`FOR UPDATE`, PostgreSQL). */
const secretByPath = (forUpdate: boolean) =>
  new PreparedQuery(2, (db: Kysely<Database>, tenantId: string, path: string) =>
    db
      .selectFrom("secrets")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("path", "=", path)
      .$if(forUpdate, (query) => query.forUpdate()),
  );
const SECRET_BY_PATH = secretByPath(false);
const SECRET_BY_PATH_FOR_UPDATE = secretByPath(true);

/** What a write changes in a secret's row (the new version, metadata and their MAC). */
const UPDATE_SECRET = new PreparedQuery(
  12,
  (
    db: Kysely<Database>,
    currentVersion: number,
    tier: Tier,
    secretType: string,
    description: string | null,
    tags: string,
    expiresAt: string | null,
    updatedAt: string,
    metaMac: string,
    allowedDestinations: string | null,
    approval: "per_call" | null,
    tenantId: string,
    id: string,
  ) =>
    db
      .updateTable("secrets")
      .set({
        current_version: currentVersion,
        tier,
        secret_type: secretType,
        description,
        tags,
        expires_at: expiresAt,
        updated_at: updatedAt,
        meta_mac: metaMac,
        allowed_destinations: allowedDestinations,
        approval,
      })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id),
);

/** A new version's row. */
const INSERT_VERSION = new PreparedQuery(
  8,
  (
    db: Kysely<Database>,
    secretId: string,
    tenantId: string,
    version: number,
    tier: Tier,
    sealed: string,
    createdAt: string,
    retiredAt: string | null,
    metaMac: string,
  ) =>
    db.insertInto("secret_versions").values({
      secret_id: secretId,
      tenant_id: tenantId,
      version,
      tier,
      sealed,
      created_at: createdAt,
      retired_at: retiredAt,
      meta_mac: metaMac,
    }),
);

/** A secret and one given version of it, in one statement. */
const SECRET_WITH_VERSION = new PreparedQuery(
  3,
  (db: Kysely<Database>, tenantId: string, path: string, version: number) =>
    db
      .selectFrom("secrets")
      .leftJoin("secret_versions as version", (join) =>
        join
          .onRef("version.tenant_id", "=", "secrets.tenant_id")
          .onRef("version.secret_id", "=", "secrets.id")
          .on("version.version", "=", version),
      )
      .selectAll("secrets")
      .select(VERSION_COLUMNS)
      .where("secrets.tenant_id", "=", tenantId)
      .where("secrets.path", "=", path),
);

/**
 * Secrets and their versions. Values arrive here already sealed. "Below a namespace" is a
 * range on `path` (`ns/` ≤ path < `ns0`, since "0" follows "/"), which needs no LIKE escaping
 * and uses the (tenant_id, path) index; PostgreSQL must compare with COLLATE "C".
 *
 * Every row carries a MAC of what reads decide on (crypto/metadata-mac.ts), computed here in the
 * statement that writes those fields and checked here whenever a row is loaded: a row changed
 * behind the server's back throws {@link SecretIntegrityError} instead of being served.
 */
export class SecretsStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: SecretsStoreOptions,
  ) {}

  /**
   * The secret at `path` and its version `version` (the current one when undefined), in one
   * prepared statement: what a value read needs. The secret's MAC is checked here, the version's
   * when it is taken.
   */
  async findForRead(
    tenantId: string,
    path: string,
    version: number | undefined,
  ): Promise<SecretForRead | undefined> {
    const { preparedFor } = this.options;
    const [row] =
      version === undefined
        ? await SECRET_WITH_CURRENT_VERSION.execute(preparedFor, this.db, tenantId, path)
        : await SECRET_WITH_VERSION.execute(preparedFor, this.db, tenantId, path, version);
    if (row === undefined) return undefined;
    const secret = this.toSecret(row);
    return {
      secret,
      version: () => {
        if (row.v_version === null || row.v_tier === null || row.v_sealed === null) {
          return undefined;
        }
        const record = toVersion({
          secret_id: secret.id,
          tenant_id: secret.tenantId,
          version: row.v_version,
          tier: row.v_tier,
          sealed: row.v_sealed,
          created_at: row.v_created_at ?? "",
          retired_at: row.v_retired_at,
        });
        this.checkVersion(
          { ...record, sealedFormat: sealedFormatOf(record.sealed) },
          row.v_meta_mac,
        );
        return record;
      },
    };
  }

  async findByPath(tenantId: string, path: string): Promise<SecretRecord | undefined> {
    const [row] = await SECRET_BY_PATH.execute(this.options.preparedFor, this.db, tenantId, path);
    return row && this.toSecret(row);
  }

  /**
   * `findByPath` for a transaction about to change the secret. On PostgreSQL the row stays locked
   * (`FOR UPDATE`) until commit: a racing write of the same path on another instance waits, then
   * reads this one's result, instead of both reading one version and colliding on the next.
   * (SQLite runs one write transaction at a time anyway.)
   */
  async findByPathForWrite(tenantId: string, path: string): Promise<SecretRecord | undefined> {
    const query = this.options.rowLocks ? SECRET_BY_PATH_FOR_UPDATE : SECRET_BY_PATH;
    const [row] = await query.execute(this.options.preparedFor, this.db, tenantId, path);
    return row && this.toSecret(row);
  }

  async insert(secret: SecretRecord): Promise<void> {
    await this.db
      .insertInto("secrets")
      .values({
        id: secret.id,
        tenant_id: secret.tenantId,
        path: secret.path,
        namespace: secret.namespace,
        key: secret.key,
        current_version: secret.currentVersion,
        tier: secret.tier,
        secret_type: secret.secretType,
        description: secret.description,
        tags: JSON.stringify(secret.tags),
        expires_at: secret.expiresAt,
        created_at: secret.createdAt,
        updated_at: secret.updatedAt,
        accessed_at: secret.accessedAt,
        meta_mac: secretMetadataMac(this.options.metadataKey, macFactsOf(secret)),
        allowed_destinations: destinationsColumn(secret.allowedDestinations),
        approval: secret.approval,
      })
      .execute();
  }

  /** Writes the secret's new metadata (all of it, as `secret` holds it) and its MAC in one statement. */
  async update(secret: SecretRecord): Promise<void> {
    await UPDATE_SECRET.execute(
      this.options.preparedFor,
      this.db,
      secret.currentVersion,
      secret.tier,
      secret.secretType,
      secret.description,
      JSON.stringify(secret.tags),
      secret.expiresAt,
      secret.updatedAt,
      secretMetadataMac(this.options.metadataKey, macFactsOf(secret)),
      destinationsColumn(secret.allowedDestinations),
      secret.approval,
      secret.tenantId,
      secret.id,
    );
  }

  async touchAccessed(tenantId: string, secretId: string, at: string): Promise<void> {
    await TOUCH_ACCESSED.execute(this.options.preparedFor, this.db, tenantId, secretId, at);
  }

  /** Destroys the secret and every version of it. */
  async delete(tenantId: string, secretId: string): Promise<void> {
    await this.db
      .deleteFrom("secret_versions")
      .where("tenant_id", "=", tenantId)
      .where("secret_id", "=", secretId)
      .execute();
    await this.db
      .deleteFrom("secrets")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", secretId)
      .execute();
  }

  async insertVersion(version: SecretVersionRecord): Promise<void> {
    await INSERT_VERSION.execute(
      this.options.preparedFor,
      this.db,
      version.secretId,
      version.tenantId,
      version.version,
      version.tier,
      version.sealed.toString("base64"),
      version.createdAt,
      version.retiredAt,
      versionMetadataMac(this.options.metadataKey, {
        ...version,
        sealedFormat: sealedFormatOf(version.sealed),
      }),
    );
  }

  async findVersion(
    tenantId: string,
    secretId: string,
    version: number,
  ): Promise<SecretVersionRecord | undefined> {
    const row = await this.db
      .selectFrom("secret_versions")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("secret_id", "=", secretId)
      .where("version", "=", version)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const record = toVersion(row);
    this.checkVersion({ ...record, sealedFormat: sealedFormatOf(record.sealed) }, row.meta_mac);
    return record;
  }

  /** Every version's bookkeeping, oldest first (no values; each row's MAC checked). */
  async listVersions(tenantId: string, secretId: string): Promise<VersionBookkeeping[]> {
    const rows = await this.db
      .selectFrom("secret_versions")
      .select([
        "secret_id",
        "tenant_id",
        "version",
        "tier",
        "created_at",
        "retired_at",
        "meta_mac",
        // The format byte only: the first 4 base64 characters are the first 3 bytes.
        (eb) => eb.fn<string>("substr", ["sealed", eb.val(1), eb.val(4)]).as("sealed_head"),
      ])
      .where("tenant_id", "=", tenantId)
      .where("secret_id", "=", secretId)
      .orderBy("version")
      .execute();
    return rows.map((row) => {
      const version: VersionBookkeeping = {
        secretId: row.secret_id,
        tenantId: row.tenant_id,
        version: row.version,
        tier: row.tier,
        createdAt: row.created_at,
        retiredAt: row.retired_at,
        sealedFormat: sealedFormatOf(Buffer.from(row.sealed_head, "base64")),
      };
      this.checkVersion(version, row.meta_mac);
      return version;
    });
  }

  /** Sets when a version stops being readable, with the version's new MAC, in one statement. */
  async retireVersion(version: VersionBookkeeping, retiredAt: string): Promise<void> {
    await this.db
      .updateTable("secret_versions")
      .set({
        retired_at: retiredAt,
        meta_mac: versionMetadataMac(this.options.metadataKey, { ...version, retiredAt }),
      })
      .where("tenant_id", "=", version.tenantId)
      .where("secret_id", "=", version.secretId)
      .where("version", "=", version.version)
      .execute();
  }

  /**
   * Live (unexpired) secrets strictly below `namespace` ("" = the whole tenant), ordered by
   * path, starting after `afterPath`.
   */
  async listBelow(options: {
    tenantId: string;
    namespace: string;
    afterPath: string | null;
    limit: number;
    nowIso: string;
  }): Promise<SecretRecord[]> {
    const lower = options.namespace === "" ? "" : `${options.namespace}/`;
    const start =
      options.afterPath !== null && options.afterPath >= lower ? options.afterPath : null;
    const rows = await this.db
      .selectFrom("secrets")
      .selectAll()
      .where("tenant_id", "=", options.tenantId)
      .$if(start === null, (query) => query.where("path", ">=", lower))
      .$if(start !== null, (query) => query.where("path", ">", start ?? ""))
      .$if(options.namespace !== "", (query) => query.where("path", "<", `${options.namespace}0`))
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", options.nowIso)]))
      .orderBy("path")
      .limit(options.limit)
      .execute();
    return rows.map((row) => this.toSecret(row));
  }

  /** The distinct namespaces of the tenant's live secrets ("" for top-level ones), sorted. */
  async listNamespaces(tenantId: string, nowIso: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("secrets")
      .select("namespace")
      .distinct()
      .where("tenant_id", "=", tenantId)
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", nowIso)]))
      .orderBy("namespace")
      .execute();
    return rows.map((row) => row.namespace);
  }

  /**
   * Live secrets above the standard tier (for the token-issue tier gate). Rows are not MAC-checked
   * here: a row whose tier was lowered behind the server's back drops out of this list, but the
   * read of it checks the row and refuses (the read decides, not the token's issue).
   */
  async listGated(tenantId: string, nowIso: string): Promise<{ path: string; tier: Tier }[]> {
    return LIVE_GATED.execute(this.options.preparedFor, this.db, tenantId, nowIso);
  }

  /** The row as a record, once its MAC matched. */
  private toSecret(row: Database["secrets"]): SecretRecord {
    const secret = toSecret(row);
    const facts = {
      ...secret,
      allowedDestinations: row.allowed_destinations,
      approval: row.approval,
    };
    if (!macMatches(row.meta_mac, secretMetadataMac(this.options.metadataKey, facts))) {
      throw new SecretIntegrityError(secret.tenantId, secret.id, "secret");
    }
    return secret;
  }

  private checkVersion(version: VersionBookkeeping, storedMac: string | null): void {
    if (!macMatches(storedMac, versionMetadataMac(this.options.metadataKey, version))) {
      throw new SecretIntegrityError(
        version.tenantId,
        version.secretId,
        "version",
        version.version,
      );
    }
  }
}

function toSecret(row: Database["secrets"]): SecretRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    path: row.path,
    namespace: row.namespace,
    key: row.key,
    currentVersion: row.current_version,
    tier: row.tier,
    secretType: row.secret_type,
    description: row.description,
    tags: parseStringRecord(row.tags),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    accessedAt: row.accessed_at,
    // A damaged binding fails closed: no destination at all, never "anywhere".
    allowedDestinations:
      row.allowed_destinations === null
        ? null
        : parseJsonColumn<DestinationBinding[]>(row.allowed_destinations, []),
    approval: row.approval === "per_call" ? "per_call" : null,
  };
}

/** What the MAC covers, as the row stores it. */
function macFactsOf(secret: SecretRecord) {
  return {
    ...secret,
    allowedDestinations: destinationsColumn(secret.allowedDestinations),
    approval: secret.approval,
  };
}

function destinationsColumn(destinations: DestinationBinding[] | null): string | null {
  return destinations === null ? null : JSON.stringify(destinations);
}

function toVersion(row: Omit<Database["secret_versions"], "meta_mac">): SecretVersionRecord {
  return {
    secretId: row.secret_id,
    tenantId: row.tenant_id,
    version: row.version,
    tier: row.tier,
    sealed: Buffer.from(row.sealed, "base64"),
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}
