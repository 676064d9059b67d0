import {
  openSecretValue,
  rewrapSecretValue,
  type SecretBinding,
  sealSecretValue,
  type UnwrapKeys,
} from "../crypto/envelope.js";

/**
 * A tenant webhook's signing secret is sealed with the secrets' envelope, bound to its tenant and
 * to a path and secret id no secret can have (`#` is outside the path grammar and the id
 * format): a sealed webhook secret cannot be opened as a secret value, nor as another tenant's
 * webhook secret. A master-key rotation re-wraps `tenant_webhooks.sealed_secret` too
 * (rotate-master-key.ts).
 */
function bindingOf(tenantId: string): SecretBinding {
  return { tenantId, path: "#webhook-signing-secret", version: 1, secretId: "#tenant-webhook" };
}

/** The sealed secret as stored (base64). */
export function sealWebhookSecret(masterKey: Buffer, tenantId: string, secret: string): string {
  return sealSecretValue(masterKey, bindingOf(tenantId), secret).toString("base64");
}

/** @throws SealedValueError when the stored value was altered or moved to another tenant. */
export function openWebhookSecret(
  keys: Buffer | UnwrapKeys,
  tenantId: string,
  sealed: string,
): string {
  return openSecretValue(keys, bindingOf(tenantId), Buffer.from(sealed, "base64"));
}

/** The sealed secret wrapped for `newMasterKey` (a master-key rotation). */
export function rewrapWebhookSecret(
  keys: Buffer | UnwrapKeys,
  newMasterKey: Buffer,
  tenantId: string,
  sealed: string,
): string {
  return rewrapSecretValue(
    keys,
    newMasterKey,
    bindingOf(tenantId),
    Buffer.from(sealed, "base64"),
  ).toString("base64");
}
