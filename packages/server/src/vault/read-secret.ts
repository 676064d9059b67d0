import type { SecretPath } from "@agentsecretstore/protocol";
import type { SecretForRead } from "../store/secrets-store.js";
import type { Origin } from "./actor.js";
import { completeAction, consumeTokenUse, requireApprovedToken } from "./guard.js";
import type { Principal } from "./principal.js";
import { toSecretMetadataBody } from "./secret-fields.js";
import { openValue } from "./secret-values.js";
import { higherTier, requireReadTier } from "./tier-gate.js";
import type { VaultContext } from "./vault-context.js";
import { secretNotFound } from "./vault-error.js";

/**
 * Reads a live secret's value (the current version or `version`), after the scope check the
 * caller made: approval, tier gate, one token use, then open and audit. A version retired by a
 * rotation's grace period, or missing, is 404 with `version`. `found` holds the secret and the
 * version asked for (the current one unless `version`), as one statement loaded them.
 */
export async function readSecretValue(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  path: SecretPath,
  found: SecretForRead,
  version: number | undefined,
) {
  await requireApprovedToken(context, origin, principal);
  const { secret } = found;
  const wanted = version ?? secret.currentVersion;
  const stored = found.version();
  const now = context.now().toISOString();
  const readable = stored !== undefined && (stored.retiredAt === null || stored.retiredAt > now);
  if (readable) {
    await requireReadTier(
      context,
      origin,
      principal,
      path.full,
      higherTier(secret.tier, stored.tier),
    );
  }
  if (!readable) {
    await consumeTokenUse(context, origin, principal);
    throw secretNotFound(path.full, version === undefined ? undefined : wanted);
  }
  const value = await openValue(context, path.full, stored);
  await completeAction(
    context,
    origin,
    principal,
    {
      event: "secret.read",
      outcome: "success",
      path: path.full,
      version: wanted,
      detail: { kind: "value" },
    },
    secret.id,
  );
  return {
    ...toSecretMetadataBody({ ...secret, accessedAt: now }),
    version: wanted,
    value,
  };
}
