import type { SecretPath } from "@agentsecretstore/protocol";
import type { FastifyRequest } from "fastify";
import type { SecretRecord } from "../store/secrets-store.js";
import { secretNotFound } from "./api-error.js";
import { recordAudit } from "./audit-event.js";
import { consumeTokenUse, requireApprovedToken } from "./authorize.js";
import type { Principal } from "./principal.js";
import { toSecretMetadataBody } from "./secret-fields.js";
import { openValue } from "./secret-values.js";
import { higherTier, requireReadTier } from "./tier-gate.js";
import type { VaultContext } from "./vault-context.js";

/**
 * Reads a live secret's value (the current version or `version`), after the scope check the
 * caller made: approval, tier gate, one token use, then open and audit. A version retired by a
 * rotation's grace period, or missing, is 404 with `version`.
 */
export async function readSecretValue(
  context: VaultContext,
  request: FastifyRequest,
  principal: Principal,
  path: SecretPath,
  secret: SecretRecord,
  version: number | undefined,
) {
  await requireApprovedToken(context, request, principal);
  const wanted = version ?? secret.currentVersion;
  const stored = await context.data.secrets.findVersion(principal.tenantId, secret.id, wanted);
  const now = context.now().toISOString();
  const readable = stored !== undefined && (stored.retiredAt === null || stored.retiredAt > now);
  if (readable) {
    await requireReadTier(
      context,
      request,
      principal,
      path.full,
      higherTier(secret.tier, stored.tier),
    );
  }
  await consumeTokenUse(context, principal);
  if (!readable) {
    throw secretNotFound(path.full, version === undefined ? undefined : wanted);
  }
  const value = openValue(context, request, path.full, stored);
  await recordAudit(
    context,
    request,
    principal,
    principal.tenantId,
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
