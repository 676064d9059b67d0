import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, readdir, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { bootstrapKeyCheck, MasterKeyMismatchError } from "../bootstrap.js";
import { hashesEqual } from "../crypto/credentials.js";
import { KeyringError, type KeyringRow, MasterKeyring } from "../crypto/keyring.js";
import { loadOrCreateMasterKey, MASTER_KEY_ENV } from "../crypto/master-key.js";
import { syncDirectory } from "../fs/sync-directory.js";

/** The database file's name inside a data folder (what `startServer` opens). */
const DATABASE_FILE = "vault.db";
/** How long the snapshot waits for a write lock held by the running server, in milliseconds. */
const BUSY_TIMEOUT_MS = 10_000;
/** better-sqlite3's largest step: the rest of the database at once. */
const ALL_PAGES = 0x7fffffff;

/** Thrown when a backup or restore cannot be made; nothing was written to the destination. */
export class BackupError extends Error {
  override readonly name = "BackupError";
}

/** What {@link backupSqlite} wrote. */
export type SqliteBackupResult = {
  /** The backup file (a SQLite database, mode 0600). */
  file: string;
  /** Its size, in bytes. */
  bytes: number;
};

/** What {@link restoreSqlite} wrote. */
export type SqliteRestoreResult = {
  /** The restored database, `<dataDir>/vault.db` (mode 0600). */
  databaseFile: string;
  /** Whether a master key (given, or `ASS_MASTER_KEY`) was checked against the backup. */
  masterKeyChecked: boolean;
};

/** Options of {@link restoreSqlite}. */
export type RestoreSqliteOptions = {
  /**
   * The vault's master key: when given, a backup made under another key is refused before
   * anything is written. The key is never in a backup; the operator keeps it.
   */
  masterKey?: Buffer;
  /**
   * Where `ASS_MASTER_KEY` is read from when `masterKey` is not given: when it is set there, the
   * backup is checked against it the same way.
   * @default no check
   */
  env?: Record<string, string | undefined>;
};

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `path` empty with mode 0600; fails if it exists (SQLite gives its -wal/-shm the same mode). */
async function createPrivateFile(path: string): Promise<void> {
  const handle = await open(path, "wx", 0o600);
  await handle.close();
  await chmod(path, 0o600); // a umask can only remove bits; this makes 0600 exact
}

/**
 * Makes a copy self-contained: the online backup copies the source's WAL mode, and a WAL database
 * grows -wal and -shm files beside it whenever it is opened. A rollback-journal file opens clean
 * (the server switches its own copy back to WAL at start).
 */
function useRollbackJournal(file: string): void {
  const database = new BetterSqlite3(file, { fileMustExist: true });
  try {
    database.pragma("journal_mode = DELETE");
  } finally {
    database.close();
  }
}

/** Checks that `file` is a whole vault database; returns the operator tenant's key check. */
function inspectVault(file: string): { tenantId: string; keyCheck: string } {
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new BackupError(`${file} cannot be opened as a SQLite database`);
  }
  try {
    const integrity = database.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") throw new BackupError(`${file} is damaged (integrity check failed)`);
    const operator = database
      .prepare(
        "select tenants.id as tenantId, tenants.key_check as keyCheck from admins join tenants on tenants.id = admins.tenant_id where admins.is_operator = 1 order by admins.created_at limit 1",
      )
      .get() as { tenantId: string; keyCheck: string } | undefined;
    if (operator === undefined) throw new BackupError(`${file} holds no vault (no operator)`);
    return operator;
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a vault backup (no vault tables)`);
  } finally {
    database.close();
  }
}

/**
 * Writes a consistent snapshot of the SQLite vault in `dataDir` to `file`, also while the server
 * runs and writes (SQLite's online backup API under WAL: the copy is the database as of one
 * commit). The file is written beside its final name, checked, flushed and then linked into
 * place with mode 0600, so `file` is complete or absent; an existing `file` is never
 * overwritten. The backup holds secrets only as ciphertext and credentials only as keyed
 * hashes, and NOT the master key: keep that (ASS_MASTER_KEY or `master.key`) separately, as the
 * backup is useless without it.
 *
 * @throws {BackupError} when there is no vault in `dataDir`, when `file` exists, or when the copy
 * fails its integrity check.
 */
export async function backupSqlite(dataDir: string, file: string): Promise<SqliteBackupResult> {
  const source = join(dataDir, DATABASE_FILE);
  if (!(await exists(source))) throw new BackupError(`There is no ${DATABASE_FILE} in ${dataDir}`);
  if (await exists(file)) {
    throw new BackupError(`${file} already exists; choose a new file name for the backup`);
  }
  const partial = `${file}.${randomBytes(6).toString("hex")}.partial`;
  await createPrivateFile(partial);
  try {
    const database = new BetterSqlite3(source, { fileMustExist: true });
    try {
      database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Every page in one step, under one read transaction: a snapshot of one commit. In small
      // steps, each write of the running server between two steps would restart the copy.
      await database.backup(partial, { progress: () => ALL_PAGES });
    } finally {
      database.close();
    }
    useRollbackJournal(partial);
    inspectVault(partial);
    await syncFile(partial);
    try {
      await link(partial, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") {
        throw new BackupError(`${file} already exists; choose a new file name for the backup`);
      }
      throw error;
    }
    await syncDirectory(dirname(file));
    return { file, bytes: (await stat(file)).size };
  } finally {
    await unlink(partial).catch(() => undefined);
  }
}

/**
 * Restores a backup made by {@link backupSqlite} into `dataDir`, which must be new or empty (a
 * restore never mixes with or overwrites existing data). The folder gets mode 0700 and
 * `vault.db` 0600. The master key is not in the backup: start the server with the vault's
 * original `ASS_MASTER_KEY`, or put its `master.key` file into `dataDir` (mode 0600) first; a
 * server started with another key refuses the data.
 *
 * @throws {BackupError} when `file` is not a whole vault database or `dataDir` is not empty.
 * @throws {MasterKeyMismatchError} when `options.masterKey` is not the backup's key.
 */
export async function restoreSqlite(
  file: string,
  dataDir: string,
  options: RestoreSqliteOptions = {},
): Promise<SqliteRestoreResult> {
  if (!(await exists(file))) throw new BackupError(`There is no backup file ${file}`);
  const operator = inspectVault(file);
  const masterKey =
    options.masterKey ??
    (options.env?.[MASTER_KEY_ENV] === undefined
      ? undefined
      : (await loadOrCreateMasterKey({ dataDir, env: options.env, createIfMissing: false })).key);
  if (
    masterKey !== undefined &&
    !hashesEqual(
      operator.keyCheck,
      bootstrapKeyCheck(vaultKeyOf(file, masterKey), operator.tenantId),
    )
  ) {
    throw new MasterKeyMismatchError();
  }
  if (await exists(dataDir)) {
    if ((await readdir(dataDir)).length > 0) {
      throw new BackupError(
        `${dataDir} is not empty; restore into a new folder (a restore never overwrites data)`,
      );
    }
  } else {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  }
  const databaseFile = join(dataDir, DATABASE_FILE);
  await createPrivateFile(databaseFile);
  try {
    const backup = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      await backup.backup(databaseFile, { progress: () => ALL_PAGES });
    } finally {
      backup.close();
    }
    useRollbackJournal(databaseFile);
    inspectVault(databaseFile);
    await syncFile(databaseFile);
    await syncDirectory(dataDir);
  } catch (error) {
    await unlink(databaseFile).catch(() => undefined);
    throw error;
  }
  return { databaseFile, masterKeyChecked: masterKey !== undefined };
}

/**
 * The vault key of the vault in `file` as `masterKey` opens it (crypto/keyring.ts): the master
 * key itself for a vault from before keyrings; throws MasterKeyMismatchError when it opens nothing.
 */
function vaultKeyOf(file: string, masterKey: Buffer): Buffer {
  const database = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const hasKeyring = database
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'master_keys'")
      .get();
    if (hasKeyring === undefined) return masterKey;
    const rows = database
      .prepare(
        "select key_id as keyId, state, wrapped_vault_key as wrappedVaultKey, bridge, bridge_key_id as bridgeKeyId from master_keys",
      )
      .all() as KeyringRow[];
    if (rows.length === 0) return masterKey;
    try {
      return MasterKeyring.open([masterKey], rows).vaultKey;
    } catch (error) {
      if (error instanceof KeyringError) throw new MasterKeyMismatchError(error.message);
      throw error;
    }
  } finally {
    database.close();
  }
}
