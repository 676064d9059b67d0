import { bootstrapKeyCheck, MasterKeyMismatchError } from "./bootstrap.js";
import { hashesEqual } from "./crypto/credentials.js";
import { KeyringError, MasterKeyring } from "./crypto/keyring.js";
import type { VaultDatabase } from "./db/database-engine.js";
import { KeyringStore } from "./store/keyring-store.js";
import { PrincipalsStore } from "./store/principals-store.js";

/**
 * Opens the vault's keyring with the master keys given (the first is the one the server was
 * started with; others are a rotation's new key). A vault from before keyrings adopts its master
 * key as its vault key, once, under an exclusive lock, after checking that the key is the one
 * its data was made with, so every credential hash and the audit chain stay valid. A new vault's
 * keyring is stored with its first keys (bootstrap.ts), never before.
 *
 * @throws MasterKeyMismatchError when the keys given do not open the vault.
 */
export async function openKeyring(
  database: VaultDatabase,
  masterKeys: readonly [Buffer, ...Buffer[]],
  now: () => Date,
): Promise<MasterKeyring> {
  const [masterKey, ...extraKeys] = masterKeys;
  const { db, engine } = database;
  const rows = await new KeyringStore(db, { rowLocks: engine.rowLocks }).list();
  if (rows.length > 0) return openStored(masterKeys, rows);
  const adopted = MasterKeyring.adopt(masterKey, extraKeys);
  return db.transaction().execute(async (trx) => {
    await engine.lockExclusive(trx, "keyring");
    const keyring = new KeyringStore(trx, { rowLocks: engine.rowLocks });
    const again = await keyring.list();
    if (again.length > 0) return openStored(masterKeys, again);
    const operator = await new PrincipalsStore(trx).findOperatorTenant();
    // A new vault: its keyring is written with its first keys.
    if (operator === undefined) return adopted;
    if (!hashesEqual(operator.keyCheck, bootstrapKeyCheck(masterKey, operator.id))) {
      throw new MasterKeyMismatchError();
    }
    await keyring.insert(adopted.rowFor(masterKey, "current"), now().toISOString());
    return adopted;
  });
}

function openStored(
  masterKeys: readonly Buffer[],
  rows: Parameters<typeof MasterKeyring.open>[1],
): MasterKeyring {
  try {
    return MasterKeyring.open(masterKeys, rows);
  } catch (error) {
    if (error instanceof KeyringError) throw new MasterKeyMismatchError(error.message);
    throw error;
  }
}
