import { randomBytes } from "node:crypto";
import { openSecretValue, SealedValueError, sealSecretValue } from "../crypto/envelope.js";
import { SecretIntegrityError } from "../store/secret-integrity-error.js";
import type { SecretVersionRecord } from "../store/secrets-store.js";
import type { VaultContext } from "./vault-context.js";
import { payloadTooLarge } from "./vault-error.js";

/** 413 when a value is over the configured size (bytes of UTF-8). */
export function checkValueSize(context: VaultContext, value: string, field = "value"): void {
  if (Buffer.byteLength(value, "utf8") > context.maxValueBytes) {
    throw payloadTooLarge(context.maxValueBytes, `The ${field}`);
  }
}

/** Seals a value for one (tenant, path, version, secret id); only the sealed form is ever stored. */
export function sealValue(
  context: VaultContext,
  binding: { tenantId: string; path: string; version: number; secretId: string },
  value: string,
): Buffer {
  return sealSecretValue(context.masterKey, binding, value);
}

/**
 * Opens a stored version. A value that fails authentication (altered, copied from another row or
 * from a deleted secret, another master key) throws {@link SecretIntegrityError} (answered as
 * INTEGRITY_FAILED, see vault/secret-integrity.ts), logged without any value; it never yields
 * another secret's plaintext.
 */
export function openValue(
  context: VaultContext,
  path: string,
  version: SecretVersionRecord,
): string {
  try {
    return openSecretValue(
      context.masterKey,
      { tenantId: version.tenantId, path, version: version.version, secretId: version.secretId },
      version.sealed,
    );
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
