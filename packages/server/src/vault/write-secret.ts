import { describeDestinations, type SecretPath } from "@agentsecretstore/protocol";
import { generateId, hashCredential } from "../crypto/credentials.js";
import { deriveKey } from "../crypto/keys.js";
import type { StoredResponse } from "../store/idempotency-store.js";
import type { SecretRecord } from "../store/secrets-store.js";
import type { Stores } from "../store/stores.js";
import type { Origin } from "./actor.js";
import { appendAudit } from "./audit-event.js";
import type { Principal } from "./principal.js";
import { isExpired, type SecretFields, toSecretMetadataBody } from "./secret-fields.js";
import { checkValueSize, sealValue } from "./secret-values.js";
import type { VaultContext } from "./vault-context.js";
import { conflict, preconditionFailed } from "./vault-error.js";

export type WriteOptions = {
  value: string;
  fields: SecretFields;
  ifMatch?: number | undefined;
  /** Legacy POST: an existing (live) secret is a 409. */
  createOnly?: boolean;
};

/**
 * Creates the secret or adds a version, inside the caller's transaction, with its audit event.
 * An expired secret counts as absent (it reads as 404): the write revives it under a fresh
 * version number, and its old expiry is dropped unless a new one is given.
 */
export async function writeSecretVersion(
  stores: Stores,
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  path: SecretPath,
  options: WriteOptions,
): Promise<StoredResponse> {
  checkValueSize(context, options.value);
  const now = context.now();
  const at = now.toISOString();
  const existing = await stores.secrets.findByPathForWrite(principal.tenantId, path.full);
  const live = existing !== undefined && !isExpired(existing, now);
  if (options.ifMatch !== undefined) {
    const current = live ? existing.currentVersion : 0;
    if (current !== options.ifMatch) throw preconditionFailed(current);
  }
  if (options.createOnly && live) {
    throw conflict(`A secret already exists at ${path.full}; use PUT to add a version`);
  }
  const { fields } = options;
  let secret: SecretRecord;
  if (existing === undefined) {
    secret = {
      id: generateId("sec_"),
      tenantId: principal.tenantId,
      path: path.full,
      namespace: path.namespace,
      key: path.key,
      currentVersion: 1,
      tier: fields.tier ?? "standard",
      secretType: fields.secretType ?? "custom",
      description: fields.description ?? null,
      tags: fields.tags ?? {},
      expiresAt: fields.expiresAt ?? null,
      createdAt: at,
      updatedAt: at,
      accessedAt: null,
      allowedDestinations: fields.allowedDestinations ?? null,
      approval: fields.approval ?? null,
    };
    await stores.secrets.insert(secret);
  } else {
    secret = {
      ...existing,
      currentVersion: existing.currentVersion + 1,
      tier: fields.tier ?? existing.tier,
      secretType: fields.secretType ?? existing.secretType,
      description: fields.description ?? existing.description,
      tags: fields.tags ?? existing.tags,
      expiresAt: fields.expiresAt ?? (live ? existing.expiresAt : null),
      allowedDestinations:
        fields.allowedDestinations === undefined
          ? existing.allowedDestinations
          : fields.allowedDestinations,
      approval: fields.approval === undefined ? existing.approval : fields.approval,
      updatedAt: at,
    };
    await stores.secrets.update(secret);
  }
  await stores.secrets.insertVersion({
    secretId: secret.id,
    tenantId: principal.tenantId,
    version: secret.currentVersion,
    tier: secret.tier,
    sealed: await sealValue(
      stores,
      context,
      {
        tenantId: principal.tenantId,
        path: path.full,
        version: secret.currentVersion,
        secretId: secret.id,
      },
      options.value,
    ),
    createdAt: at,
    retiredAt: null,
  });
  await appendAudit(stores, context, origin, principal, {
    event: live ? "secret.updated" : "secret.created",
    outcome: "success",
    path: path.full,
    version: secret.currentVersion,
    detail: {
      tier: secret.tier,
      ...(secret.allowedDestinations === null
        ? {}
        : { allowed_destinations: describeDestinations(secret.allowedDestinations) }),
      ...(secret.approval === null ? {} : { approval: secret.approval }),
    },
  });
  return { statusCode: live ? 200 : 201, body: toSecretMetadataBody(secret) };
}

/**
 * Runs a write once per `Idempotency-Key` (per tenant and credential): a retry with the same
 * key and request gets the first response and writes nothing; the same key with another
 * request is a 409. The key's record commits with the write itself.
 */
export async function idempotentWrite(
  context: VaultContext,
  principal: Principal,
  idempotencyKey: string | undefined,
  requestFingerprint: unknown,
  write: (stores: Stores) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  return context.data.transaction(async (stores) => {
    if (idempotencyKey === undefined) return write(stores);
    // Keyed hash: the fingerprint covers the value, and a plain hash of a weak value could be guessed.
    const requestHash = hashCredential(
      deriveKey(context.vaultKey, "idempotency"),
      JSON.stringify(requestFingerprint),
    );
    const seen = await stores.idempotency.find(
      principal.tenantId,
      principal.credentialHash,
      idempotencyKey,
    );
    if (seen !== undefined) {
      if (seen.requestHash !== requestHash) {
        throw conflict(
          "This Idempotency-Key was already used with a different request; use a new key for a new write",
        );
      }
      return seen.response;
    }
    const response = await write(stores);
    await stores.idempotency.insert({
      tenantId: principal.tenantId,
      credentialHash: principal.credentialHash,
      key: idempotencyKey,
      requestHash,
      response,
      createdAt: context.now().toISOString(),
    });
    return response;
  });
}
