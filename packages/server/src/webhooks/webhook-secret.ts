import { openSecretValue, type SecretBinding, sealSecretValue } from "../crypto/envelope.js";

/**
 * A tenant webhook's signing secret is sealed with the secrets' envelope, bound to its tenant and
 * to a path and secret id no secret can have (`#` is outside the path grammar and the id
 * format): a sealed webhook secret cannot be opened as a secret value, nor as another tenant's
 * webhook secret. A master-key rotation must re-wrap `tenant_webhooks.sealed_secret` too.
 */
function bindingOf(tenantId: string): SecretBinding {
  return { tenantId, path: "#webhook-signing-secret", version: 1, secretId: "#tenant-webhook" };
}

/** The sealed secret as stored (base64). */
export function sealWebhookSecret(masterKey: Buffer, tenantId: string, secret: string): string {
  return sealSecretValue(masterKey, bindingOf(tenantId), secret).toString("base64");
}

/** @throws SealedValueError when the stored value was altered or moved to another tenant. */
export function openWebhookSecret(masterKey: Buffer, tenantId: string, sealed: string): string {
  return openSecretValue(masterKey, bindingOf(tenantId), Buffer.from(sealed, "base64"));
}
