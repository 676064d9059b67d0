import { randomBytes } from "node:crypto";
import {
  openSecretValue,
  SealedValueError,
  sealedKeyId,
  sealSecretValue,
} from "../crypto/envelope.js";
import { SecretIntegrityError } from "../store/secret-integrity-error.js";
import type { SecretVersionRecord } from "../store/secrets-store.js";
import type { Stores } from "../store/stores.js";
import type { VaultContext } from "./vault-context.js";
import { payloadTooLarge, VaultError } from "./vault-error.js";

/** 413 when a value is over the configured size (bytes of UTF-8). */
export function checkValueSize(context: VaultContext, value: string, field = "value"): void {
  if (Buffer.byteLength(value, "utf8") > context.maxValueBytes) {
    throw payloadTooLarge(context.maxValueBytes, `The ${field}`);
  }
}

/**
 * The master key the database names current, inside a write's transaction (share-locked until
 * commit on PostgreSQL): a rotation run by another process is followed at once, and its
 * re-wrapping never misses what this write seals.
 */
export async function currentSealingKey(stores: Stores, context: VaultContext): Promise<Buffer> {
  const { keyring } = context;
  const currentId = await stores.keyring.currentKeyId({ lock: true });
  if (currentId !== undefined && currentId !== keyring.currentKeyId) {
    keyring.absorb(await stores.keyring.list());
  }
  const key = currentId === undefined ? keyring.currentKey : keyring.keyFor(currentId);
  if (key === undefined) throw masterKeyNotHeld(context, currentId ?? "unknown");
  return key;
}

/**
 * `UNAVAILABLE` for a request that needs a master key of this vault (named in its keyring) that
 * this instance does not hold: it missed a rotation. Nothing is wrong with the data, so no
 * integrity failure is reported; another instance, or this one restarted with the current key,
 * answers.
 */
function masterKeyNotHeld(context: VaultContext, keyId: string): VaultError {
  context.log.error(
    { key_id: keyId },
    "this instance does not hold a master key of the vault's keyring (it missed a rotation): restart it with the current key",
  );
  return new VaultError(
    "UNAVAILABLE",
    "This server instance does not hold the vault's current master key; retry (another instance may answer), and an operator must restart this one with the current key",
  );
}

/**
 * Seals a value for one (tenant, path, version, secret id) inside a write's transaction, under the
 * master key the database names current (share-locked until commit on PostgreSQL): a rotation run
 * by another process is followed at once, and never misses a value sealed meanwhile. Only the
 * sealed form is ever stored.
 */
export async function sealValue(
  stores: Stores,
  context: VaultContext,
  binding: { tenantId: string; path: string; version: number; secretId: string },
  value: string,
): Promise<Buffer> {
  const key = await currentSealingKey(stores, context);
  return sealSecretValue(key, binding, value);
}

/**
 * Opens a stored version. A value that fails authentication (altered, copied from another row or
 * from a deleted secret, another master key) throws {@link SecretIntegrityError} (answered as
 * INTEGRITY_FAILED, see vault/secret-integrity.ts), logged without any value; it never yields
 * another secret's plaintext.
 */
export async function openValue(
  context: VaultContext,
  path: string,
  version: SecretVersionRecord,
): Promise<string> {
  const binding = {
    tenantId: version.tenantId,
    path,
    version: version.version,
    secretId: version.secretId,
  };
  try {
    try {
      return openSecretValue(context.keyring, binding, version.sealed);
    } catch (error) {
      if (!(error instanceof SealedValueError) || error.reason !== "unknown-key") throw error;
      // Re-wrapped by a rotation another process runs: learn its key through the keyring.
      const rows = await context.data.keyring.list();
      context.keyring.absorb(rows);
      try {
        return openSecretValue(context.keyring, binding, version.sealed);
      } catch (retried) {
        const keyId = sealedKeyId(version.sealed);
        const ofThisVault = rows.some((row) => row.keyId === keyId);
        // A key the vault's keyring names but this instance cannot reach: it missed a rotation.
        // A key id the vault never had is an altered value, refused below.
        if (
          retried instanceof SealedValueError &&
          retried.reason === "unknown-key" &&
          ofThisVault
        ) {
          throw masterKeyNotHeld(context, keyId ?? "unknown");
        }
        throw retried;
      }
    }
  } catch (error) {
    if (!(error instanceof SealedValueError)) throw error;
    context.log.error(
      { path, version: version.version, reason: error.reason },
      "stored secret value failed to open: it was altered, moved or sealed under another key",
    );
    throw new SecretIntegrityError(version.tenantId, version.secretId, "value", version.version);
  }
}

/** A value the server makes up for a rotation without one: 32 random bytes, base64url. */
export function generateSecretValue(): string {
  return randomBytes(32).toString("base64url");
}
