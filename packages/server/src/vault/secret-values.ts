import { randomBytes } from "node:crypto";
import { openSecretValue, SealedValueError, sealSecretValue } from "../crypto/envelope.js";
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
  if (key === undefined) {
    context.log.error(
      { current_key_id: currentId },
      "the vault's current master key is not held by this instance: restart it with the key from the rotation",
    );
    throw new VaultError(
      "INTERNAL",
      "This server instance does not hold the vault's current master key; an operator must restart it with the current key. Quote the x-request-id",
    );
  }
  return key;
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
      context.keyring.absorb(await context.data.keyring.list());
      return openSecretValue(context.keyring, binding, version.sealed);
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
