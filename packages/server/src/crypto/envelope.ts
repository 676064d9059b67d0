import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { deriveKey, KEY_LENGTH } from "./keys.js";

/**
 * What a sealed value belongs to. Opening it under any other binding fails. `secretId` is bound
 * by format 2 (every value sealed now): a deleted secret's value cannot be replayed into a new
 * secret at the same path. Format 1 (sealed before) binds tenant, path and version only.
 */
export type SecretBinding = { tenantId: string; path: string; version: number; secretId: string };

/** The master keys a value may be opened with, by key id ({@link masterKeyId}). */
export type UnwrapKeys = {
  /**
   * The master key with this id, or undefined. `null` asks for the key of a format-1 value,
   * which records no id: the vault's master key from before key ids (the first of its keyring).
   */
  keyFor(keyId: string | null): Buffer | undefined;
};

/** Thrown when a sealed value cannot be opened: altered, moved to another binding, or another master key. */
export class SealedValueError extends Error {
  override readonly name = "SealedValueError";
  readonly code = "SEALED_VALUE_INVALID";
  /**
   * `format`: not a sealed value this code understands; `authentication`: GCM rejected it;
   * `unknown-key`: sealed under a master key this process does not hold.
   */
  readonly reason: "format" | "authentication" | "unknown-key";

  constructor(reason: "format" | "authentication" | "unknown-key") {
    super(
      reason === "format"
        ? "sealed secret value has an unknown format or is truncated"
        : reason === "unknown-key"
          ? "sealed secret value was wrapped by a master key this process does not hold"
          : "sealed secret value failed authentication: it was altered, belongs to another secret, tenant, path or version, or was sealed under another master key",
    );
    this.reason = reason;
  }
}

// Format 1 (before key ids), lengths in bytes:
//   [1][wrap iv 12][wrapped data key 32][wrap tag 16][value iv 12][value tag 16][ciphertext n]
// Format 2 adds the wrapping master key's id after the version byte and binds the secret id:
//   [2][key id 8][wrap iv 12][wrapped data key 32][wrap tag 16][value iv 12][value tag 16][ciphertext n]
const FORMAT_1 = 1;
const FORMAT_2 = 2;
const KEY_ID_LENGTH = 8;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const WRAP_PURPOSE = "secret-wrap";

type Layout = {
  keyId: number;
  wrapIv: number;
  wrappedKey: number;
  wrapTag: number;
  valueIv: number;
  valueTag: number;
  ciphertext: number;
};

function layoutOf(format: number): Layout {
  const keyId = 1;
  const wrapIv = format === FORMAT_1 ? 1 : 1 + KEY_ID_LENGTH;
  const wrappedKey = wrapIv + IV_LENGTH;
  const wrapTag = wrappedKey + KEY_LENGTH;
  const valueIv = wrapTag + TAG_LENGTH;
  const valueTag = valueIv + IV_LENGTH;
  return {
    keyId,
    wrapIv,
    wrappedKey,
    wrapTag,
    valueIv,
    valueTag,
    ciphertext: valueTag + TAG_LENGTH,
  };
}

const LAYOUT_1 = layoutOf(FORMAT_1);
const LAYOUT_2 = layoutOf(FORMAT_2);

/**
 * A master key's id: the first 8 bytes of HMAC-SHA-256(key, label), as 16 hex characters. It
 * names the key in sealed values and in the keyring without saying anything about the key.
 */
export function masterKeyId(masterKey: Buffer): string {
  if (!Buffer.isBuffer(masterKey) || masterKey.length !== KEY_LENGTH) {
    throw new TypeError(`master key must be a ${KEY_LENGTH}-byte Buffer`);
  }
  let id = keyIds.get(masterKey);
  if (id === undefined) {
    id = createHmac("sha256", masterKey)
      .update("agentsecretstore/master-key-id/v1", "utf8")
      .digest()
      .subarray(0, KEY_ID_LENGTH)
      .toString("hex");
    keyIds.set(masterKey, id);
  }
  return id;
}

/** Ids per key Buffer, so that sealing does not run HMAC again (a key Buffer never changes). */
const keyIds = new WeakMap<Buffer, string>();

/** The format byte of a sealed value (1 or 2), or 0 when it is not one. */
export function sealedFormatOf(sealed: Buffer): number {
  const format = sealed[0];
  return format === FORMAT_1 || format === FORMAT_2 ? format : 0;
}

/** The id of the master key that wrapped a sealed value's data key; null for format 1. */
export function sealedKeyId(sealed: Buffer): string | null {
  if (sealedFormatOf(sealed) !== FORMAT_2 || sealed.length < LAYOUT_2.ciphertext) return null;
  return sealed.subarray(LAYOUT_2.keyId, LAYOUT_2.wrapIv).toString("hex");
}

/**
 * Encrypts a secret value for storage (envelope encryption, AES-256-GCM), in format 2. Each call
 * makes a fresh random 32-byte data key and IVs: the value is encrypted under the data key, and
 * the data key is wrapped by a key derived from the master key, whose id the result records;
 * both use the binding (with the secret id) as additional data.
 */
export function sealSecretValue(
  masterKey: Buffer,
  binding: SecretBinding,
  plaintext: string,
): Buffer {
  if (typeof plaintext !== "string") throw new TypeError("plaintext must be a string");
  const aad = encodeBinding(binding, FORMAT_2);
  const dataKey = randomBytes(KEY_LENGTH);
  try {
    const valueIv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv("aes-256-gcm", dataKey, valueIv).setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([
      wrapDataKey(masterKey, aad, dataKey),
      valueIv,
      cipher.getAuthTag(),
      ciphertext,
    ]);
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Decrypts what {@link sealSecretValue} produced (or format 1, sealed before key ids) for the same
 * binding, with the master key the value names.
 *
 * @throws SealedValueError on any mismatch: a changed byte, another secret/tenant/path/version,
 * another master key, or an unknown format. It never returns a wrong value.
 */
export function openSecretValue(
  keys: Buffer | UnwrapKeys,
  binding: SecretBinding,
  sealed: Buffer,
): string {
  const format = checkedFormat(sealed);
  const layout = format === FORMAT_1 ? LAYOUT_1 : LAYOUT_2;
  const aad = encodeBinding(binding, format);
  let dataKey: Buffer | undefined;
  try {
    dataKey = unwrapDataKey(keys, sealed, format, aad);
    const plaintext = decryptGcm(
      dataKey,
      sealed.subarray(layout.valueIv, layout.valueTag),
      sealed.subarray(layout.valueTag, layout.ciphertext),
      aad,
      sealed.subarray(layout.ciphertext),
    );
    return plaintext.toString("utf8");
  } catch (error) {
    if (error instanceof SealedValueError) throw error;
    throw new SealedValueError("authentication");
  } finally {
    dataKey?.fill(0);
  }
}

/**
 * The same value wrapped for `newMasterKey`: a format-2 value keeps its data key and ciphertext
 * and only its wrapped data key changes; a format-1 value is sealed again in format 2 (binding
 * the secret id). Used by master-key rotation.
 *
 * @throws SealedValueError as {@link openSecretValue} does.
 */
export function rewrapSecretValue(
  keys: Buffer | UnwrapKeys,
  newMasterKey: Buffer,
  binding: SecretBinding,
  sealed: Buffer,
): Buffer {
  const format = checkedFormat(sealed);
  if (format === FORMAT_1) {
    return sealSecretValue(newMasterKey, binding, openSecretValue(keys, binding, sealed));
  }
  const aad = encodeBinding(binding, FORMAT_2);
  let dataKey: Buffer | undefined;
  try {
    dataKey = unwrapDataKey(keys, sealed, FORMAT_2, aad);
    // The value itself must still open: a rewrap never launders an altered ciphertext.
    decryptGcm(
      dataKey,
      sealed.subarray(LAYOUT_2.valueIv, LAYOUT_2.valueTag),
      sealed.subarray(LAYOUT_2.valueTag, LAYOUT_2.ciphertext),
      aad,
      sealed.subarray(LAYOUT_2.ciphertext),
    ).fill(0);
    return Buffer.concat([
      wrapDataKey(newMasterKey, aad, dataKey),
      sealed.subarray(LAYOUT_2.valueIv),
    ]);
  } catch (error) {
    if (error instanceof SealedValueError) throw error;
    throw new SealedValueError("authentication");
  } finally {
    dataKey?.fill(0);
  }
}

function checkedFormat(sealed: Buffer): number {
  if (!Buffer.isBuffer(sealed)) throw new SealedValueError("format");
  const format = sealedFormatOf(sealed);
  const layout = format === FORMAT_1 ? LAYOUT_1 : LAYOUT_2;
  if (format === 0 || sealed.length < layout.ciphertext) throw new SealedValueError("format");
  return format;
}

/** `[2][key id][wrap iv][wrapped data key][wrap tag]` for `dataKey` under `masterKey`. */
function wrapDataKey(masterKey: Buffer, aad: Buffer, dataKey: Buffer): Buffer {
  const wrappingKey = deriveKey(masterKey, WRAP_PURPOSE);
  try {
    const wrapIv = randomBytes(IV_LENGTH);
    const wrapper = createCipheriv("aes-256-gcm", wrappingKey, wrapIv).setAAD(aad);
    const wrappedKey = Buffer.concat([wrapper.update(dataKey), wrapper.final()]);
    return Buffer.concat([
      Buffer.from([FORMAT_2]),
      Buffer.from(masterKeyId(masterKey), "hex"),
      wrapIv,
      wrappedKey,
      wrapper.getAuthTag(),
    ]);
  } finally {
    wrappingKey.fill(0);
  }
}

function unwrapDataKey(
  keys: Buffer | UnwrapKeys,
  sealed: Buffer,
  format: number,
  aad: Buffer,
): Buffer {
  const layout = format === FORMAT_1 ? LAYOUT_1 : LAYOUT_2;
  const keyId = format === FORMAT_1 ? null : sealedKeyId(sealed);
  const masterKey = Buffer.isBuffer(keys) ? onlyKey(keys, keyId) : keys.keyFor(keyId);
  if (masterKey === undefined) throw new SealedValueError("unknown-key");
  const wrappingKey = deriveKey(masterKey, WRAP_PURPOSE);
  try {
    return decryptGcm(
      wrappingKey,
      sealed.subarray(layout.wrapIv, layout.wrappedKey),
      sealed.subarray(layout.wrapTag, layout.valueIv),
      aad,
      sealed.subarray(layout.wrappedKey, layout.wrapTag),
    );
  } catch {
    throw new SealedValueError("authentication");
  } finally {
    wrappingKey.fill(0);
  }
}

/** A single key opens format 1 and the format-2 values that name it; nothing else. */
function onlyKey(masterKey: Buffer, keyId: string | null): Buffer | undefined {
  return keyId === null || keyId === masterKeyId(masterKey) ? masterKey : undefined;
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
 * (`("a/b", "c")` and `("a", "b/c")` differ). Format 2 adds the secret id.
 */
function encodeBinding(binding: SecretBinding, format: number): Buffer {
  const { tenantId, path, version, secretId } = binding ?? ({} as SecretBinding);
  if (typeof tenantId !== "string" || tenantId.length === 0) {
    throw new TypeError("binding.tenantId must be a non-empty string");
  }
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError("binding.path must be a non-empty string");
  }
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new TypeError("binding.version must be a whole number ≥ 1");
  }
  if (format === FORMAT_2 && (typeof secretId !== "string" || secretId.length === 0)) {
    throw new TypeError("binding.secretId must be a non-empty string");
  }
  const fields = [`agentsecretstore/secret/v${format}`, tenantId, path, String(version)];
  if (format === FORMAT_2) fields.push(secretId);
  return Buffer.concat(
    fields.flatMap((field) => {
      const bytes = Buffer.from(field, "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}
