import type { SecretPath } from "@agentsecretstore/protocol";
import type { Stores } from "../store/stores.js";
import type { Actor, Origin } from "./actor.js";
import { appendAudit } from "./audit-event.js";
import { guardedWrite } from "./guarded-write.js";
import type { Principal } from "./principal.js";
import { isExpired } from "./secret-fields.js";
import { checkValueSize, generateSecretValue, sealValue } from "./secret-values.js";
import type { VaultContext } from "./vault-context.js";
import { secretNotFound } from "./vault-error.js";

export type RotationBody = {
  path: string;
  new_version: number;
  old_version: number;
  expires_at: string;
  grace_period_seconds: number;
  version: number;
  grace_expires_at: string;
};

/**
 * Adds the new version and retires every older one at `now + grace`: until then they stay
 * readable by version, afterwards they are 404. Without `givenValue` a random one is generated
 * (never put in the answer: the caller reads it like any value). Runs inside the caller's
 * transaction (see `idempotentWrite`), with its audit event.
 */
export async function rotateSecret(
  stores: Stores,
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  path: SecretPath,
  givenValue: string | undefined,
  gracePeriodSeconds: number,
): Promise<{ statusCode: 200; body: RotationBody }> {
  const newValue = givenValue ?? generateSecretValue();
  checkValueSize(context, newValue, "new value");
  const now = context.now();
  const at = now.toISOString();
  const retiredAt = new Date(now.getTime() + gracePeriodSeconds * 1000).toISOString();
  const secret = await stores.secrets.findByPathForWrite(principal.tenantId, path.full);
  if (secret === undefined || isExpired(secret, now)) throw secretNotFound(path.full);
  const oldVersion = secret.currentVersion;
  const newVersion = oldVersion + 1;
  for (const version of await stores.secrets.listVersions(principal.tenantId, secret.id)) {
    if (version.retiredAt === null || version.retiredAt > retiredAt) {
      await stores.secrets.retireVersion(version, retiredAt);
    }
  }
  await stores.secrets.insertVersion({
    secretId: secret.id,
    tenantId: principal.tenantId,
    version: newVersion,
    tier: secret.tier,
    sealed: await sealValue(
      stores,
      context,
      { tenantId: principal.tenantId, path: path.full, version: newVersion, secretId: secret.id },
      newValue,
    ),
    createdAt: at,
    retiredAt: null,
  });
  await stores.secrets.update({ ...secret, currentVersion: newVersion, updatedAt: at });
  await appendAudit(stores, context, origin, principal, {
    event: "secret.rotated",
    outcome: "success",
    path: path.full,
    version: newVersion,
    detail: {
      old_version: oldVersion,
      grace_period_seconds: gracePeriodSeconds,
      ...(givenValue === undefined ? { generated: true } : {}),
    },
  });
  const body: RotationBody = {
    path: path.full,
    new_version: newVersion,
    old_version: oldVersion,
    expires_at: retiredAt,
    grace_period_seconds: gracePeriodSeconds,
    version: newVersion,
    grace_expires_at: retiredAt,
  };
  return { statusCode: 200, body };
}

/** A rotation as a request asks for it. */
export type RotateSecret = {
  path: SecretPath;
  /** undefined: the server generates the new value. */
  newValue: string | undefined;
  gracePeriodSeconds: number;
  idempotencyKey: string | undefined;
  /** What makes a retry the same request (see `guardedWrite`). */
  fingerprint: unknown;
};

/**
 * Rotates the secret at `path` (needs `write`): the new version now, the older ones readable by
 * version until the grace period ends. An Idempotency-Key makes a retry rotate nothing.
 */
export async function rotateSecretAt(
  context: VaultContext,
  actor: Actor,
  rotation: RotateSecret,
): Promise<RotationBody> {
  const { path, idempotencyKey, fingerprint } = rotation;
  const answer = await guardedWrite(
    context,
    actor,
    { action: "write", paths: [path.full], idempotencyKey, fingerprint },
    (stores) =>
      rotateSecret(
        stores,
        context,
        actor.origin,
        actor.principal,
        path,
        rotation.newValue,
        rotation.gracePeriodSeconds,
      ),
  );
  return answer.body as RotationBody;
}
