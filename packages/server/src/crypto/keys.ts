import { hkdfSync } from "node:crypto";

/** Length of the master key and of every derived key, in bytes. */
export const KEY_LENGTH = 32;

// A fixed, public salt: HKDF's extract step then works as designed even though the master key is
// already uniformly random, and keys derived here never collide with another product's.
const HKDF_SALT = Buffer.from("agentsecretstore/hkdf/v1", "utf8");

/** Keys derived per master key, so that a read does not run HKDF again (the key never changes). */
const derivedKeys = new WeakMap<Buffer, Map<string, Buffer>>();

/**
 * Derives a 32-byte key for one purpose (HKDF-SHA-256, RFC 5869), so that one key never serves
 * two jobs. From the vault key (crypto/keyring.ts), which never changes: `"credential-hmac"`
 * hashes credentials, `"audit"` keys the audit chain, `"audit-checkpoint"` signs its
 * checkpoints, `"secret-metadata"` keys the secrets' metadata MACs, `"idempotency"` and
 * `"key-check"`. From a master key: `"secret-wrap"` wraps data keys (crypto/envelope.ts) and
 * `"key-wrap"` wraps the vault key and a rotation's bridge (crypto/key-wrap.ts). The same inputs
 * always give the same key.
 *
 * @throws TypeError when the master key is not 32 bytes or the purpose is empty.
 */
export function deriveKey(
  masterKey: Buffer,
  purpose: "credential-hmac" | "audit" | string,
): Buffer {
  if (!Buffer.isBuffer(masterKey) || masterKey.length !== KEY_LENGTH) {
    throw new TypeError(`master key must be a ${KEY_LENGTH}-byte Buffer`);
  }
  if (typeof purpose !== "string" || purpose.length === 0) {
    throw new TypeError("key purpose must be a non-empty string");
  }
  let derived = derivedKeys.get(masterKey);
  if (derived === undefined) {
    derived = new Map();
    derivedKeys.set(masterKey, derived);
  }
  let key = derived.get(purpose);
  if (key === undefined) {
    key = Buffer.from(
      hkdfSync("sha256", masterKey, HKDF_SALT, Buffer.from(purpose, "utf8"), KEY_LENGTH),
    );
    derived.set(purpose, key);
  }
  // A copy: a caller that wipes or changes its key cannot change the next caller's.
  return Buffer.from(key);
}
