import { generateCredential, hashCredential } from "../crypto/credentials.js";
import type { Actor } from "./actor.js";
import { requireAdmin } from "./require-admin.js";
import { revokeTokens } from "./revoke-tokens.js";
import { runUnitOfWork, type UnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";
import { conflict, notFound, scopeDenied, shownId } from "./vault-error.js";

/** A rotated key: the new one (shown once) and how many tokens went with the old one. */
export type RotatedKey = { id: string; apiKey: string; revokedTokens: number };

/** Whether the tokens the old key issued stay valid (the default) or are revoked with it. */
export type RotationOptions = { revokeTokens?: boolean };

async function replaceKey(
  unit: UnitOfWork,
  context: VaultContext,
  actor: Actor,
  target: { table: "agents" | "admins"; tenantId: string; id: string },
  options: RotationOptions,
): Promise<RotatedKey | null> {
  const kind = target.table === "agents" ? "agent" : "admin";
  const apiKey = generateCredential(kind);
  const keyHash = hashCredential(context.credentialHmacKey, apiKey);
  const { stores } = unit;
  if (
    !(await stores.principals.replaceKeyHash(target.table, target.tenantId, target.id, keyHash))
  ) {
    return null;
  }
  const revoked =
    options.revokeTokens === true
      ? await revokeTokens(unit, context, actor, {
          roots: await stores.tokens.idsIssuedBy(target.tenantId, target.id),
          auditEach: false,
          reason: `${kind} key rotated`,
          alsoEvict: [target.id],
        })
      : [];
  // A console session begun with the old admin key ends with it.
  if (target.table === "admins") {
    await stores.consoleSessions.endAllOf(target.tenantId, target.id, context.now().toISOString());
  }
  // The old key is forgotten here at once; other instances' caches are overruled by the commit's
  // key check (CommitGroup), so it stops everywhere.
  unit.afterCommit(() => context.principalCache.evict([target.id]));
  await unit.audit({
    event: `${kind}.key_rotated`,
    outcome: "success",
    detail: { [`${kind}_id`]: target.id, revoked_tokens: revoked.length },
  });
  return { id: target.id, apiKey, revokedTokens: revoked.length };
}

/**
 * Gives an agent a new key (admin only): the new key is returned once, the old one stops working
 * at once; the tokens the agent issued are kept unless `revokeTokens`. NOT_FOUND when there is no
 * such agent.
 */
export async function rotateAgentKey(
  context: VaultContext,
  actor: Actor,
  agentId: string,
  options: RotationOptions = {},
): Promise<RotatedKey> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  const adminActor = { ...actor, principal: admin };
  const rotated = await runUnitOfWork(context, adminActor, (unit) =>
    replaceKey(
      unit,
      context,
      adminActor,
      { table: "agents", tenantId: admin.tenantId, id: agentId },
      options,
    ),
  );
  if (rotated === null) throw notFound(`No agent ${shownId(agentId)}`);
  return rotated;
}

/**
 * Gives an admin a new key: only the admin itself may (another admin holding it could approve
 * twice, as two people), the operator included. The new key is returned once, the old one stops
 * working at once; the tokens it issued are kept unless `revokeTokens`.
 */
export async function rotateAdminKey(
  context: VaultContext,
  actor: Actor,
  adminId: string,
  options: RotationOptions = {},
): Promise<RotatedKey> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  if (admin.id !== adminId) {
    throw scopeDenied(
      `/v1/admins/${shownId(adminId)}/rotate-key`,
      "admin",
      "An admin rotates its own key only: send this request with the key of that admin",
    );
  }
  const adminActor = { ...actor, principal: admin };
  const rotated = await runUnitOfWork(context, adminActor, (unit) =>
    replaceKey(
      unit,
      context,
      adminActor,
      { table: "admins", tenantId: admin.tenantId, id: adminId },
      options,
    ),
  );
  if (rotated === null) throw notFound(`No admin ${shownId(adminId)}`);
  return rotated;
}

/**
 * Hands the operator role to another admin of the operator's tenant (the operator only): that
 * admin may then create tenants and delete the operator's key, and the caller is a plain admin.
 */
export async function handOverOperator(
  context: VaultContext,
  actor: Actor,
  adminId: string,
): Promise<void> {
  const operator = await requireAdmin(context, actor.origin, actor.principal, { operator: true });
  if (adminId === operator.id) throw conflict("This admin is the operator already");
  const operatorActor = { ...actor, principal: operator };
  await runUnitOfWork(context, operatorActor, async (unit) => {
    // Thrown, not returned: the whole move rolls back, so the tenant never loses its operator.
    if (!(await unit.stores.principals.moveOperator(operator.tenantId, operator.id, adminId))) {
      throw notFound(`No admin ${shownId(adminId)}`);
    }
    unit.afterCommit(() => context.principalCache.evict([operator.id, adminId]));
    await unit.audit({
      event: "admin.operator_handed_over",
      outcome: "success",
      detail: { from_admin_id: operator.id, admin_id: adminId },
    });
  });
}
