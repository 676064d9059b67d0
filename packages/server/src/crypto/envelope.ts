import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { deriveKey, KEY_LENGTH } from "./keys.js";

/** What a sealed value belongs to. Opening it under any other binding fails. */
export type SecretBinding = { tenantId: string; path: string; version: number };

/** Thrown when a sealed value cannot be opened: altered, moved to another binding, or another master key. */
export class SealedValueError extends Error {
  override readonly name = "SealedValueError";
  readonly code = "SEALED_VALUE_INVALID";
  /** `format`: not a sealed value this code understands; `authentication`: GCM rejected it. */
  readonly reason: "format" | "authentication";

  constructor(reason: "format" | "authentication") {
    super(
      reason === "format"
        ? "sealed secret value has an unknown format or is truncated"
        : "sealed secret value failed authentication: it was altered, belongs to another tenant, path or version, or was sealed under another master key",
    );
    this.reason = reason;
  }
}

// Layout of format 1, all lengths in bytes:
// [version 1][wrap iv 12][wrapped data key 32][wrap tag 16][value iv 12][value tag 16][ciphertext n]
const FORMAT_VERSION = 1;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const WRAP_IV = 1;
const WRAPPED_KEY = WRAP_IV + IV_LENGTH;
const WRAP_TAG = WRAPPED_KEY + KEY_LENGTH;
const VALUE_IV = WRAP_TAG + TAG_LENGTH;
const VALUE_TAG = VALUE_IV + IV_LENGTH;
const CIPHERTEXT = VALUE_TAG + TAG_LENGTH;
const WRAP_PURPOSE = "secret-wrap";

/**
 * Encrypts a secret value for storage (envelope encryption, AES-256-GCM). Each call makes a fresh
 * random 32-byte data key and IVs: the value is encrypted under the data key, and the data key is
 * wrapped by a key derived from the master key; both use the binding as additional data. The
 * result is one self-describing Buffer that starts with a format-version byte.
 */
export function sealSecretValue(
  masterKey: Buffer,
  binding: SecretBinding,
  plaintext: string,
): Buffer {
  if (typeof plaintext !== "string") throw new TypeError("plaintext must be a string");
  const aad = encodeBinding(binding);
  const wrappingKey = deriveKey(masterKey, WRAP_PURPOSE);
  const dataKey = randomBytes(KEY_LENGTH);
  try {
    const wrapIv = randomBytes(IV_LENGTH);
    const wrapper = createCipheriv("aes-256-gcm", wrappingKey, wrapIv).setAAD(aad);
    const wrappedKey = Buffer.concat([wrapper.update(dataKey), wrapper.final()]);
    const valueIv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv("aes-256-gcm", dataKey, valueIv).setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([
      Buffer.from([FORMAT_VERSION]),
      wrapIv,
      wrappedKey,
      wrapper.getAuthTag(),
      valueIv,
      cipher.getAuthTag(),
      ciphertext,
    ]);
  } finally {
    dataKey.fill(0);
    wrappingKey.fill(0);
  }
}

/**
 * Decrypts what {@link sealSecretValue} produced for the same master key and binding.
 *
 * @throws SealedValueError on any mismatch: a changed byte, another tenant/path/version, another
 * master key, or an unknown format. It never returns a wrong value.
 */
export function openSecretValue(masterKey: Buffer, binding: SecretBinding, sealed: Buffer): string {
  if (!Buffer.isBuffer(sealed) || sealed.length < CIPHERTEXT || sealed[0] !== FORMAT_VERSION) {
    throw new SealedValueError("format");
  }
  const aad = encodeBinding(binding);
  const wrappingKey = deriveKey(masterKey, WRAP_PURPOSE);
  let dataKey: Buffer | undefined;
  try {
    dataKey = decryptGcm(
      wrappingKey,
      sealed.subarray(WRAP_IV, WRAPPED_KEY),
      sealed.subarray(WRAP_TAG, VALUE_IV),
      aad,
      sealed.subarray(WRAPPED_KEY, WRAP_TAG),
    );
    const plaintext = decryptGcm(
      dataKey,
      sealed.subarray(VALUE_IV, VALUE_TAG),
      sealed.subarray(VALUE_TAG, CIPHERTEXT),
      aad,
      sealed.subarray(CIPHERTEXT),
    );
    return plaintext.toString("utf8");
  } catch {
    throw new SealedValueError("authentication");
  } finally {
    dataKey?.fill(0);
    wrappingKey.fill(0);
  }
}

/** AES-256-GCM decryption with a full-length tag; throws when the tag does not verify. */
function decryptGcm(key: Buffer, iv: Buffer, tag: Buffer, aad: Buffer, ciphertext: Buffer): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad).setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/**
 * The additional authenticated data: a label with the format version, then each field
 * length-prefixed, so that no two different bindings encode to the same bytes
 * (`("a/b", "c")` and `("a", "b/c")` differ).
 */
function encodeBinding(binding: SecretBinding): Buffer {
  const { tenantId, path, version } = binding ?? ({} as SecretBinding);
  if (typeof tenantId !== "string" || tenantId.length === 0) {
    throw new TypeError("binding.tenantId must be a non-empty string");
  }
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError("binding.path must be a non-empty string");
  }
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new TypeError("binding.version must be a whole number ≥ 1");
  }
  const fields = [`agentsecretstore/secret/v${FORMAT_VERSION}`, tenantId, path, String(version)];
  return Buffer.concat(
    fields.flatMap((field) => {
      const bytes = Buffer.from(field, "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}
