import { masterKeyId, type UnwrapKeys } from "./envelope.js";
import { KeyUnwrapError, unwrapKey, wrapKey } from "./key-wrap.js";

/** A row of the keyring table (`master_keys`, db/schema.ts) as the keyring reads it. */
export type KeyringRow = {
  keyId: string;
  /** `current` seals new values; `retiring` still opens while a rotation re-wraps; `retired` opens nothing. */
  state: "current" | "retiring" | "retired";
  /** base64: the vault key wrapped under this master key; null once retired. */
  wrappedVaultKey: string | null;
  /** base64: this master key wrapped under `bridgeKeyId`'s, while a rotation to it runs. */
  bridge: string | null;
  bridgeKeyId: string | null;
};

/** Thrown when the master keys given do not open the vault's keyring. Holds no key material. */
export class KeyringError extends Error {
  override readonly name = "KeyringError";
}

/** The additional data of the vault key wrapped under master key `keyId`. */
export function vaultKeyLabel(keyId: string): string {
  return `agentsecretstore/keyring/vault-key/${keyId}`;
}

/** The additional data of master key `keyId` wrapped under `bridgeKeyId` during a rotation. */
export function bridgeLabel(keyId: string, bridgeKeyId: string): string {
  return `agentsecretstore/keyring/bridge/${keyId}/${bridgeKeyId}`;
}

/**
 * The master keys one process holds, by id, which of them seals new values, and the vault key.
 *
 * The vault key is what every other key derives from (`deriveKey(vaultKey, purpose)`: credential
 * hashes, the audit chain and its checkpoints, metadata MACs, idempotency fingerprints, the key
 * check): it never changes, so rotating the master key breaks no credential, chain or MAC. It is
 * the master key the vault was created with (a vault from before the keyring keeps its hashes
 * that way), stored wrapped under every master key not yet retired. Values are sealed under the
 * current master key, whose id each sealed value records.
 */
export class MasterKeyring implements UnwrapKeys {
  private readonly keys = new Map<string, Buffer>();
  private current: string;
  #missingCurrentKeyId: string | null = null;

  private constructor(
    readonly vaultKey: Buffer,
    held: readonly Buffer[],
    currentKeyId: string,
  ) {
    for (const key of held) this.keys.set(masterKeyId(key), key);
    this.current = currentKeyId;
  }

  /** A vault without a keyring yet (new, or from before keyrings): its master key is its vault key. */
  static adopt(masterKey: Buffer, extraKeys: readonly Buffer[] = []): MasterKeyring {
    return new MasterKeyring(masterKey, [masterKey, ...extraKeys], masterKeyId(masterKey));
  }

  /**
   * Opens the keyring stored in the database with the master keys given (the key file's or
   * `ASS_MASTER_KEY`, and a rotation's new key if at hand). A key given only to the old key is
   * learnt through the rotation's bridge.
   *
   * @throws KeyringError when no key given opens the vault key, or the current key is out of reach.
   */
  static open(held: readonly Buffer[], rows: readonly KeyringRow[]): MasterKeyring {
    const known = new Map(held.map((key) => [masterKeyId(key), key]));
    learnBridges(known, rows);
    let vaultKey: Buffer | undefined;
    for (const row of rows) {
      const key = known.get(row.keyId);
      if (key === undefined || row.wrappedVaultKey === null) continue;
      try {
        vaultKey = unwrapKey(key, row.wrappedVaultKey, vaultKeyLabel(row.keyId));
        break;
      } catch (error) {
        if (!(error instanceof KeyUnwrapError)) throw error;
      }
    }
    const current = rows.find((row) => row.state === "current");
    if (vaultKey === undefined || current === undefined) {
      const retired = rows.some((row) => row.state === "retired" && known.has(row.keyId));
      throw new KeyringError(
        retired
          ? "This master key was retired by a rotation and opens nothing any more: give the server the current master key (the key file written by `ass server rotate-master-key`)"
          : `The master key does not match this vault's keyring (key ids ${rows.map((row) => row.keyId).join(", ")}): set the vault's ASS_MASTER_KEY or restore its master.key file`,
      );
    }
    if (!known.has(current.keyId)) {
      throw new KeyringError(
        `The vault's current master key ${current.keyId} is not among the keys given and was not bridged: give the server the current master key`,
      );
    }
    return new MasterKeyring(vaultKey, [...known.values()], current.keyId);
  }

  /** The id of the key that seals new values. */
  get currentKeyId(): string {
    return this.current;
  }

  /** The key that seals new values. */
  get currentKey(): Buffer {
    const key = this.keys.get(this.current);
    if (key === undefined) throw new KeyringError("the current master key is not held");
    return key;
  }

  /** The master key with this id; `null` (a format-1 value) is the vault's first key. */
  keyFor(keyId: string | null): Buffer | undefined {
    return keyId === null ? this.vaultKey : this.keys.get(keyId);
  }

  /**
   * Takes in the keyring as the database now has it (another process rotated): learns new keys
   * through their bridges and which key is current. A current key out of reach leaves this
   * process sealing with the key it had (its values stay readable; the rotation re-wraps them).
   */
  absorb(rows: readonly KeyringRow[]): void {
    learnBridges(this.keys, rows);
    const current = rows.find((row) => row.state === "current");
    if (current === undefined) return;
    if (this.keys.has(current.keyId)) {
      this.current = current.keyId;
      this.#missingCurrentKeyId = null;
    } else {
      this.#missingCurrentKeyId = current.keyId;
    }
  }

  /**
   * The id of the key the database last named current (at the last {@link absorb}) when this
   * process could not learn it: it missed a rotation, and cannot seal or open what that key
   * holds. `null` while it holds the current key. Readiness reports it.
   */
  get missingCurrentKeyId(): string | null {
    return this.#missingCurrentKeyId;
  }

  /** The keyring row of a new vault (or of one adopted): the vault key wrapped under `masterKey`. */
  rowFor(masterKey: Buffer, state: KeyringRow["state"], bridgeFrom?: Buffer): KeyringRow {
    const keyId = masterKeyId(masterKey);
    const bridgeKeyId = bridgeFrom === undefined ? null : masterKeyId(bridgeFrom);
    return {
      keyId,
      state,
      wrappedVaultKey: wrapKey(masterKey, this.vaultKey, vaultKeyLabel(keyId)),
      bridge:
        bridgeFrom === undefined || bridgeKeyId === null
          ? null
          : wrapKey(bridgeFrom, masterKey, bridgeLabel(keyId, bridgeKeyId)),
      bridgeKeyId,
    };
  }

  /** Holds `masterKey` too (a rotation's new key). */
  hold(masterKey: Buffer): void {
    this.keys.set(masterKeyId(masterKey), masterKey);
  }
}

/** Adds every key a held key's bridge opens, until nothing new opens. */
function learnBridges(known: Map<string, Buffer>, rows: readonly KeyringRow[]): void {
  for (let learnt = true; learnt; ) {
    learnt = false;
    for (const row of rows) {
      if (known.has(row.keyId) || row.bridge === null || row.bridgeKeyId === null) continue;
      const via = known.get(row.bridgeKeyId);
      if (via === undefined) continue;
      try {
        known.set(row.keyId, unwrapKey(via, row.bridge, bridgeLabel(row.keyId, row.bridgeKeyId)));
        learnt = true;
      } catch (error) {
        if (!(error instanceof KeyUnwrapError)) throw error;
      }
    }
  }
}
