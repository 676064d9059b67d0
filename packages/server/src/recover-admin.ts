import { systemAuditEvent } from "./audit/system-event.js";
import { bootstrapKeyCheck, MasterKeyMismatchError } from "./bootstrap.js";
import {
  generateCredential,
  generateId,
  hashCredential,
  hashesEqual,
} from "./crypto/credentials.js";
import { deriveKey } from "./crypto/keys.js";
import { loadMasterKey } from "./crypto/master-key.js";
import { createDatabase, type DatabaseConfig } from "./db/create-database.js";
import { migrateToLatest } from "./db/migrate.js";
import { pathExists, sqliteFileIn } from "./first-start.js";
import { openKeyring } from "./open-keyring.js";
import { createDataAccess } from "./store/stores.js";

/** Options of {@link recoverAdmin}: the same data folder, database and master key the server uses. */
export type RecoverAdminOptions = {
  /** The server's data folder (the SQLite database, and `master.key` unless `ASS_MASTER_KEY`). */
  dataDir: string;
  /** The PostgreSQL URL, when the vault runs on PostgreSQL. @default SQLite in `dataDir` */
  databaseUrl?: string;
  /** Where `ASS_MASTER_KEY` is read from. @default process.env */
  env?: Record<string, string | undefined>;
  /** The new admin's name. @default "operator-recovered" */
  name?: string;
  /** The clock. @default () => new Date() */
  now?: () => Date;
};

/** The new operator admin made by {@link recoverAdmin}; the key is shown once. */
export type RecoveredAdmin = { tenantId: string; adminId: string; adminKey: string };

/** Thrown when there is nothing to recover, or it cannot be reached. Holds no key material. */
export class RecoverAdminError extends Error {
  override readonly name = "RecoverAdminError";
}

/**
 * Break-glass for a lost admin key, offline: whoever holds the data folder (or database) and the
 * master key gets a new operator admin key. Nothing else changes: every other admin, agent and
 * token keeps working (delete the lost admin afterwards with the new key). Recorded in the audit
 * log as `admin.recovered` by the system. The master key is checked against the data first, so
 * the data alone is not enough.
 *
 * @throws RecoverAdminError when there is no vault (never started) or no master key.
 * @throws MasterKeyMismatchError when the master key is not the data's.
 */
export async function recoverAdmin(options: RecoverAdminOptions): Promise<RecoveredAdmin> {
  const now = options.now ?? (() => new Date());
  const masterKey = await loadMasterKey({
    dataDir: options.dataDir,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  if (masterKey === null) {
    throw new RecoverAdminError(
      `No master key: set ASS_MASTER_KEY, or run this where ${options.dataDir}/master.key is`,
    );
  }
  let config: DatabaseConfig;
  if (options.databaseUrl === undefined) {
    const filename = sqliteFileIn(options.dataDir);
    // Never create a database: a typo in the folder must not look like a recovered vault.
    if (!(await pathExists(filename))) {
      throw new RecoverAdminError(`No vault in ${options.dataDir} (${filename} does not exist)`);
    }
    config = { kind: "sqlite", filename };
  } else {
    config = { kind: "postgres", url: options.databaseUrl };
  }
  const database = createDatabase(config);
  let vaultKey: Buffer;
  try {
    await migrateToLatest(database, {
      auditKey: deriveKey(masterKey.key, "audit"),
      metadataKey: deriveKey(masterKey.key, "secret-metadata"),
    });
    vaultKey = (await openKeyring(database, [masterKey.key], now)).vaultKey;
  } catch (error) {
    await database.db.destroy();
    throw error;
  }
  const data = createDataAccess(database, {
    auditKey: deriveKey(vaultKey, "audit"),
    metadataKey: deriveKey(vaultKey, "secret-metadata"),
  });
  try {
    const tenant = await data.principals.findOperatorTenant();
    if (tenant === undefined) {
      throw new RecoverAdminError(
        "This vault was never started: run `ass server` to create its keys",
      );
    }
    if (!hashesEqual(tenant.keyCheck, bootstrapKeyCheck(vaultKey, tenant.id))) {
      throw new MasterKeyMismatchError();
    }
    const adminId = generateId("adm_");
    const adminKey = generateCredential("admin");
    const at = now().toISOString();
    await data.transaction(async (stores) => {
      await stores.principals.insertAdmin({
        id: adminId,
        tenantId: tenant.id,
        name: options.name ?? "operator-recovered",
        isOperator: true,
        createdAt: at,
        keyHash: hashCredential(deriveKey(vaultKey, "credential-hmac"), adminKey),
      });
      await stores.audit.append(
        systemAuditEvent({
          tenantId: tenant.id,
          at,
          event: "admin.recovered",
          detail: { admin_id: adminId, method: "offline recover-admin with the master key" },
        }),
      );
    });
    return { tenantId: tenant.id, adminId, adminKey };
  } finally {
    await data.close();
  }
}
