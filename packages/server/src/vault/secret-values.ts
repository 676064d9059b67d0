import { randomBytes } from "node:crypto";
import { openSecretValue, SealedValueError, sealSecretValue } from "../crypto/envelope.js";
import type { SecretVersionRecord } from "../store/secrets-store.js";
import type { VaultContext } from "./vault-context.js";
import { payloadTooLarge, VaultError } from "./vault-error.js";

/** 413 when a value is over the configured size (bytes of UTF-8). */
export function checkValueSize(context: VaultContext, value: string, field = "value"): void {
  if (Buffer.byteLength(value, "utf8") > context.maxValueBytes) {
    throw payloadTooLarge(context.maxValueBytes, `The ${field}`);
  }
}

/** Seals a value for one (tenant, path, version); only the sealed form is ever stored. */
export function sealValue(
  context: VaultContext,
  binding: { tenantId: string; path: string; version: number },
  value: string,
): Buffer {
  return sealSecretValue(context.masterKey, binding, value);
}

/**
 * Opens a stored version. A value that fails authentication (altered, copied from another row,
 * another master key) is answered with a clean 500 INTERNAL, logged without any value; it never
 * yields another secret's plaintext.
 */
export function openValue(
  context: VaultContext,
  path: string,
  version: SecretVersionRecord,
): string {
  try {
    return openSecretValue(
      context.masterKey,
      { tenantId: version.tenantId, path, version: version.version },
      version.sealed,
    );
  } catch (error) {
    if (!(error instanceof SealedValueError)) throw error;
    context.log.error(
      { path, version: version.version, reason: error.reason },
      "stored secret value failed to open: it was altered, moved or sealed under another key",
    );
    throw new VaultError(
      "INTERNAL",
      "The stored value could not be opened; an operator must check the data. Quote the x-request-id",
    );
  }
}

/** A value the server makes up for a rotation without one: 32 random bytes, base64url. */
export function generateSecretValue(): string {
  return randomBytes(32).toString("base64url");
}
