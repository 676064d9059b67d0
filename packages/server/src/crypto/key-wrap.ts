import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { deriveKey, KEY_LENGTH } from "./keys.js";

const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/** Thrown when a wrapped key does not open under the key given: another key, or altered. */
export class KeyUnwrapError extends Error {
  override readonly name = "KeyUnwrapError";
  constructor() {
    super("a wrapped key did not open: it was wrapped under another master key, or altered");
  }
}

/**
 * Wraps a 32-byte key under a master key (AES-256-GCM under `deriveKey(master, "key-wrap")`,
 * `label` as additional data, so a wrapped key is only ever opened as what it was wrapped as).
 * The result is base64: `iv ‖ ciphertext ‖ tag`.
 */
export function wrapKey(masterKey: Buffer, key: Buffer, label: string): string {
  if (key.length !== KEY_LENGTH) throw new TypeError(`a wrapped key must be ${KEY_LENGTH} bytes`);
  const wrappingKey = deriveKey(masterKey, "key-wrap");
  try {
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv("aes-256-gcm", wrappingKey, iv).setAAD(Buffer.from(label));
    const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString("base64");
  } finally {
    wrappingKey.fill(0);
  }
}

/** Opens what {@link wrapKey} made with the same master key and label. @throws KeyUnwrapError */
export function unwrapKey(masterKey: Buffer, wrapped: string, label: string): Buffer {
  const bytes = Buffer.from(wrapped, "base64");
  if (bytes.length !== IV_LENGTH + KEY_LENGTH + TAG_LENGTH) throw new KeyUnwrapError();
  const wrappingKey = deriveKey(masterKey, "key-wrap");
  try {
    const decipher = createDecipheriv("aes-256-gcm", wrappingKey, bytes.subarray(0, IV_LENGTH), {
      authTagLength: TAG_LENGTH,
    });
    decipher.setAAD(Buffer.from(label)).setAuthTag(bytes.subarray(IV_LENGTH + KEY_LENGTH));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_LENGTH, IV_LENGTH + KEY_LENGTH)),
      decipher.final(),
    ]);
  } catch {
    throw new KeyUnwrapError();
  } finally {
    wrappingKey.fill(0);
  }
}
