import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Kysely } from "kysely";
import { systemAuditEvent } from "./audit/system-event.js";
import { masterKeyId, rewrapSecretValue, sealedKeyId } from "./crypto/envelope.js";
import type { MasterKeyring } from "./crypto/keyring.js";
import { deriveKey } from "./crypto/keys.js";
import {
  generateMasterKey,
  loadMasterKey,
  loadNextMasterKey,
  NEXT_MASTER_KEY_FILE,
  promoteNextMasterKey,
  publishNextMasterKey,
} from "./crypto/master-key.js";
import { createDatabase, type DatabaseConfig } from "./db/create-database.js";
import type { VaultDatabase } from "./db/database-engine.js";
import { migrateToLatest } from "./db/migrate.js";
import { pathExists, sqliteFileIn } from "./first-start.js";
import { openKeyring } from "./open-keyring.js";
import { AuditStore } from "./store/audit-store.js";
import { KeyringStore } from "./store/keyring-store.js";
import { PrincipalsStore } from "./store/principals-store.js";
import { RewrapStore } from "./store/rewrap-store.js";
import type { WebhookRows } from "./store/webhook-store.js";
import { rewrapWebhookSecret } from "./webhooks/webhook-secret.js";

/** Options of {@link rotateMasterKey}: the data folder, database and key the server uses. */
export type RotateMasterKeyOptions = {
  /** The server's data folder: the SQLite database, `master.key`, and `master.key.next`. */
  dataDir: string;
  /** The PostgreSQL URL, when the vault runs on PostgreSQL. @default SQLite in `dataDir` */
  databaseUrl?: string;
  /** Where `ASS_MASTER_KEY` is read from. @default process.env */
  env?: Record<string, string | undefined>;
  /** Versions re-wrapped per transaction. @default 200 */
  batchSize?: number;
  /**
   * Retire the old key once every value is re-wrapped. Off: stop before, so that instances given
   * the key by `ASS_MASTER_KEY` can be restarted with the new one first; a later run retires.
   * @default true
   */
  retire?: boolean;
  /**
   * How long to wait between the last re-wrap and retiring the old key, so that every running
   * server (which reads the keyring every 5 seconds) has learnt the new key, in seconds.
   * @default 15
   */
  settleSeconds?: number;
  /** The clock. @default () => new Date() */
  now?: () => Date;
  /** Told after each batch (progress output; tests). */
  onBatch?: (progress: { rewrapped: number }) => void | Promise<void>;
};

/** What a rotation did. */
export type MasterKeyRotation = {
  oldKeyId: string;
  newKeyId: string;
  /** Versions re-wrapped by this run. */
  rewrapped: number;
  /** Whether the old key is retired (opens nothing any more). */
  retired: boolean;
  /** Where the new key is: `master.key` once promoted, else `master.key.next`. */
  newKeyFile: string;
  /** Whether this run went on with a rotation an earlier run began. */
  resumed: boolean;
};

/** Thrown when there is no vault or no key to rotate. Holds no key material. */
export class RotateMasterKeyError extends Error {
  override readonly name = "RotateMasterKeyError";
}

/**
 * Rotates the master key online, beside running servers (issue 17, item 6):
 * 1. a new key is written to `<dataDir>/master.key.next` (flushed, never overwritten) before the
 *    database names it;
 * 2. one transaction makes it current in the keyring, with the vault key wrapped under it and the
 *    new key wrapped under the old one (the bridge): from then on every instance seals under the
 *    new key, and one given only the old key learns the new one from the database;
 * 3. every sealed value is re-wrapped (its data key only; a value sealed before key ids is sealed
 *    again, binding its secret id), a batch per transaction, until none is left under an old key;
 * 4. the old key is retired: the keyring keeps nothing it opens, the bridge goes;
 * 5. `master.key.next` replaces `master.key` (the old one kept as `master.key.retired-<id>`).
 * Credential hashes, the audit chain and metadata MACs derive from the vault key, which does not
 * change: no agent key, token or chain breaks. A run killed at any point is finished by running
 * it again (it resumes the rotation under way instead of starting another).
 *
 * @throws RotateMasterKeyError when there is no vault or no master key.
 * @throws MasterKeyMismatchError when the master key is not the vault's.
 */
export async function rotateMasterKey(options: RotateMasterKeyOptions): Promise<MasterKeyRotation> {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 200;
  const loaded = await loadMasterKey({
    dataDir: options.dataDir,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  if (loaded === null) {
    throw new RotateMasterKeyError(
      `No master key: set ASS_MASTER_KEY, or run this where ${options.dataDir}/master.key is`,
    );
  }
  const database = createDatabase(await databaseConfig(options));
  try {
    await migrateToLatest(database, {
      auditKey: deriveKey(loaded.key, "audit"),
      metadataKey: deriveKey(loaded.key, "secret-metadata"),
    });
    const next = await loadNextMasterKey(options.dataDir);
    const keyring = await openKeyring(
      database,
      next === null ? [loaded.key] : [loaded.key, next],
      now,
    );
    const operator = await new PrincipalsStore(database.db).findOperatorTenant();
    if (operator === undefined) {
      throw new RotateMasterKeyError("This vault was never started: run `ass server` first");
    }
    const { newKey, oldKeyId, resumed } = await beginRotation(
      database,
      keyring,
      loaded.key,
      options,
      now,
    );
    const rewrapped = await rewrapAll(database, keyring, newKey, batchSize, options.onBatch);
    const retire = options.retire !== false;
    if (retire) {
      await sleep((options.settleSeconds ?? 15) * 1000);
      await retireOldKeys(database, keyring, operator.id, {
        oldKeyId,
        newKeyId: masterKeyId(newKey),
        now,
      });
      if (loaded.source === "file") await promoteNextMasterKey(options.dataDir, oldKeyId);
    }
    const promoted = retire && loaded.source === "file";
    return {
      oldKeyId,
      newKeyId: masterKeyId(newKey),
      rewrapped,
      retired: retire,
      newKeyFile: join(options.dataDir, promoted ? "master.key" : NEXT_MASTER_KEY_FILE),
      resumed,
    };
  } finally {
    await database.db.destroy();
  }
}

async function databaseConfig(options: RotateMasterKeyOptions): Promise<DatabaseConfig> {
  if (options.databaseUrl !== undefined) return { kind: "postgres", url: options.databaseUrl };
  const filename = sqliteFileIn(options.dataDir);
  if (!(await pathExists(filename))) {
    throw new RotateMasterKeyError(`No vault in ${options.dataDir} (${filename} does not exist)`);
  }
  return { kind: "sqlite", filename };
}

/**
 * Steps 1 and 2, or finds them done: the rotation under way (a key retiring), else a new one.
 * The new key is on disk before the database names it, so no crash can lose it.
 */
async function beginRotation(
  database: VaultDatabase,
  keyring: MasterKeyring,
  startedWith: Buffer,
  options: RotateMasterKeyOptions,
  now: () => Date,
): Promise<{ newKey: Buffer; oldKeyId: string; resumed: boolean }> {
  const { db, engine } = database;
  const store = new KeyringStore(db, { rowLocks: engine.rowLocks });
  const rows = await store.list();
  const retiring = rows.find((row) => row.state === "retiring");
  if (retiring !== undefined) {
    const newKey = keyring.currentKey;
    // Keep the new key on disk, learnt through the bridge if the file was not there.
    const onFile = await publishNextMasterKey(options.dataDir, newKey);
    if (!onFile.equals(newKey)) {
      throw new RotateMasterKeyError(
        `${NEXT_MASTER_KEY_FILE} holds another key than the rotation under way (${keyring.currentKeyId}); move it away and run again`,
      );
    }
    return { newKey, oldKeyId: retiring.keyId, resumed: true };
  }
  const oldKey = keyring.currentKey;
  const oldKeyId = keyring.currentKeyId;
  const onDisk = await loadNextMasterKey(options.dataDir);
  const retiredBefore = onDisk !== null && rows.some((row) => row.keyId === masterKeyId(onDisk));
  if (onDisk !== null && masterKeyId(onDisk) === oldKeyId) {
    // A run that retired the old key and stopped before renaming the file: only that is left.
    return { newKey: onDisk, oldKeyId: masterKeyId(startedWith), resumed: true };
  }
  if (retiredBefore) {
    throw new RotateMasterKeyError(
      `${NEXT_MASTER_KEY_FILE} holds a key this vault has already used; move it away and run again`,
    );
  }
  const newKey = await publishNextMasterKey(options.dataDir, onDisk ?? generateMasterKey());
  await db.transaction().execute(async (trx) => {
    await engine.lockExclusive(trx, "keyring");
    const inTransaction = new KeyringStore(trx, { rowLocks: engine.rowLocks });
    if ((await inTransaction.currentKeyId()) !== oldKeyId) {
      throw new RotateMasterKeyError("Another rotation began meanwhile; run this again");
    }
    await inTransaction.beginRotation(
      keyring.rowFor(newKey, "current", oldKey),
      now().toISOString(),
    );
  });
  keyring.hold(newKey);
  keyring.absorb(await store.list());
  return { newKey, oldKeyId, resumed: onDisk !== null };
}

/** Step 3: passes over every version until one finds nothing under another key. */
async function rewrapAll(
  database: VaultDatabase,
  keyring: MasterKeyring,
  newKey: Buffer,
  batchSize: number,
  onBatch: RotateMasterKeyOptions["onBatch"],
): Promise<number> {
  const { db, engine } = database;
  const newKeyId = masterKeyId(newKey);
  const metadataKey = deriveKey(keyring.vaultKey, "secret-metadata");
  let total = 0;
  for (;;) {
    let changed = 0;
    let after: { secretId: string; version: number } | null = null;
    for (;;) {
      const cursor = after;
      const { seen, rewrapped } = await db.transaction().execute(async (trx) => {
        const store = new RewrapStore(trx, { rowLocks: engine.rowLocks, metadataKey });
        const batch = await store.batchAfter(cursor, batchSize);
        let count = 0;
        for (const version of batch) {
          if (sealedKeyId(version.sealed) === newKeyId) continue;
          const binding = {
            tenantId: version.tenantId,
            path: version.path,
            version: version.version,
            secretId: version.secretId,
          };
          await store.replaceSealed(
            version,
            rewrapSecretValue(keyring, newKey, binding, version.sealed),
          );
          count += 1;
        }
        const last = batch.at(-1);
        return {
          seen: last === undefined ? null : { secretId: last.secretId, version: last.version },
          rewrapped: count,
        };
      });
      changed += rewrapped;
      total += rewrapped;
      if (seen === null) {
        const webhooks = await rewrapWebhookSecrets(database, keyring, newKey);
        changed += webhooks;
        total += webhooks;
      }
      if (rewrapped > 0) await onBatch?.({ rewrapped: total });
      if (seen === null) break;
      after = seen;
    }
    if (changed === 0) return total;
  }
}

/** Step 4, with its audit event, in one transaction. */
async function retireOldKeys(
  database: VaultDatabase,
  keyring: MasterKeyring,
  tenantId: string,
  facts: { oldKeyId: string; newKeyId: string; now: () => Date },
): Promise<void> {
  const { db, engine } = database;
  await db.transaction().execute(async (trx) => {
    await engine.lockExclusive(trx, "keyring");
    const store = new KeyringStore(trx, { rowLocks: engine.rowLocks });
    if (!(await store.list()).some((row) => row.state === "retiring")) return;
    const at = facts.now().toISOString();
    await store.retireOld(at);
    const audit = new AuditStore(trx, {
      lockChainHead: engine.rowLocks,
      chainKey: deriveKey(keyring.vaultKey, "audit"),
      preparedFor: {},
    });
    await audit.append(
      systemAuditEvent({
        tenantId,
        at,
        event: "master_key.rotated",
        detail: { old_key_id: facts.oldKeyId, new_key_id: facts.newKeyId },
      }),
    );
  });
}

/** Tenant webhooks' signing secrets, sealed like values (webhooks/webhook-secret.ts). */
async function rewrapWebhookSecrets(
  database: VaultDatabase,
  keyring: MasterKeyring,
  newKey: Buffer,
): Promise<number> {
  const newKeyId = masterKeyId(newKey);
  return database.db.transaction().execute(async (trx) => {
    const db = trx as unknown as Kysely<WebhookRows>;
    const rows = await db
      .selectFrom("tenant_webhooks")
      .select(["tenant_id", "sealed_secret"])
      .$if(database.engine.rowLocks, (query) => query.forUpdate())
      .execute();
    let count = 0;
    for (const row of rows) {
      if (sealedKeyId(Buffer.from(row.sealed_secret, "base64")) === newKeyId) continue;
      await db
        .updateTable("tenant_webhooks")
        .set({
          sealed_secret: rewrapWebhookSecret(keyring, newKey, row.tenant_id, row.sealed_secret),
        })
        .where("tenant_id", "=", row.tenant_id)
        .where("sealed_secret", "=", row.sealed_secret)
        .execute();
      count += 1;
    }
    return count;
  });
}
