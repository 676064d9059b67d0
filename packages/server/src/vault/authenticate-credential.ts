import { parseScope, type Scope } from "@agentsecretstore/protocol";
import { credentialKindOf, hashCredential, hashesEqual } from "../crypto/credentials.js";
import { parseIpAllowlist } from "../domain/ip-allowlist.js";
import type { Origin } from "./actor.js";
import { loadSettledApproval } from "./approval-decisions.js";
import { recordAudit } from "./audit-event.js";
import type { Principal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";
import { ipNotAllowed, unauthorized } from "./vault-error.js";

/** Why a credential was refused (recorded in `auth.failed`, never told to the caller). */
export type AuthFailureReason =
  | "missing"
  | "malformed"
  | "unknown"
  | "revoked"
  | "expired"
  | "used_up"
  /** Revoked, expired, or its issuer deleted, while the request was being answered. */
  | "gone";
type FailureReason = AuthFailureReason;

/** Stored scopes were checked when written; anything unparsable is dropped (deny by default). */
export function parseStoredScopes(texts: readonly string[]): Scope[] {
  const scopes: Scope[] = [];
  for (const text of texts) {
    const parsed = parseScope(text);
    if (parsed.ok) scopes.push(parsed.scope);
  }
  return scopes;
}

/** Whether the agent or admin that issued a token still exists (child tokens: their parent was checked). */
async function issuerIsLive(
  context: VaultContext,
  token: { tenantId: string; issuerType: string; issuerId: string },
): Promise<boolean> {
  const { principals } = context.data;
  if (token.issuerType === "agent") {
    return (await principals.findAgent(token.tenantId, token.issuerId)) !== undefined;
  }
  if (token.issuerType === "admin") {
    return (await principals.liveIds("admins", token.tenantId, [token.issuerId])).has(
      token.issuerId,
    );
  }
  return true;
}

/**
 * `agent:<id>` or `admin:<id>` of whoever issued the token's family root: a child's issuer is its
 * parent token, so the chain is walked up (bounded, like every ancestor walk).
 */
async function rootIssuerOf(
  context: VaultContext,
  token: { tenantId: string; issuerType: string; issuerId: string },
): Promise<string> {
  let current = token;
  for (let depth = 0; current.issuerType === "token" && depth < 1000; depth++) {
    const parent = await context.data.tokens.findById(token.tenantId, current.issuerId);
    if (parent === undefined) break;
    current = parent;
  }
  return `${current.issuerType}:${current.issuerId}`;
}

async function lookUpPrincipal(
  context: VaultContext,
  credential: string,
): Promise<{ principal: Principal } | { failure: FailureReason; tenantId?: string }> {
  const kind = credentialKindOf(credential);
  // The metrics token opens /metrics only, never the API.
  if (kind === null || kind === "metrics") return { failure: "malformed" };
  const hash = hashCredential(context.credentialHmacKey, credential);
  const { principals, tokens } = context.data;
  if (kind === "admin") {
    const admin = await principals.findAdminByKeyHash(hash);
    if (!admin || !hashesEqual(admin.keyHash, hash)) return { failure: "unknown" };
    return {
      principal: {
        kind: "admin",
        id: admin.id,
        tenantId: admin.tenantId,
        isOperator: admin.isOperator,
        credentialHash: hash,
      },
    };
  }
  if (kind === "agent") {
    const agent = await principals.findAgentByKeyHash(hash);
    if (!agent || !hashesEqual(agent.keyHash, hash)) return { failure: "unknown" };
    return {
      principal: {
        kind: "agent",
        id: agent.id,
        tenantId: agent.tenantId,
        allowedScopes: parseStoredScopes(agent.allowedScopes),
        credentialHash: hash,
      },
    };
  }
  let token = await tokens.findByHash(hash);
  if (!token || !hashesEqual(token.tokenHash, hash)) return { failure: "unknown" };
  const tenantId = token.tenantId;
  if (token.revokedAt !== null) return { failure: "revoked", tenantId };
  if (token.expiresAt <= context.now().toISOString()) return { failure: "expired", tenantId };
  if (token.maxUses !== null && token.uses >= token.maxUses) {
    return { failure: "used_up", tenantId };
  }
  // Deleting an agent or admin revokes its tokens, but one minted while the deletion ran can
  // slip past that revocation: a token never outlives the key that issued it.
  if (!(await issuerIsLive(context, token))) return { failure: "revoked", tenantId };
  if (token.approvalStatus === "pending" && token.approvalRequestId !== null) {
    // Its request may have come due (a critical delay ended): settle it, then see the token anew.
    const approval = await loadSettledApproval(context, tenantId, token.approvalRequestId);
    if (approval !== undefined && approval.record.status !== "pending") {
      token = (await tokens.findByHash(hash)) ?? token;
    }
  }
  const { tokenHash: _omitted, ...record } = token;
  return {
    principal: {
      kind: "token",
      id: token.id,
      tenantId,
      token: record,
      scopes: parseStoredScopes(token.scopes),
      credentialHash: hash,
      rootIssuer: await rootIssuerOf(context, token),
    },
  };
}

/** The outcome of {@link authenticateCredential}: a principal, or a refusal already audited. */
export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: string; tenantId?: string };

/**
 * Resolves a credential to its principal. With `cached`, a principal kept in the context's
 * principal cache is taken without a query (the commit that answers the request confirms it);
 * without, the database is asked. A token is checked for expiry (and, when known here, for uses
 * left) either way.
 */
export async function resolvePrincipal(
  context: VaultContext,
  credential: string | undefined,
  options: { cached: boolean },
): Promise<Authentication> {
  if (credential === undefined) return { ok: false, reason: "missing" };
  const kind = credentialKindOf(credential);
  if (kind === null) return { ok: false, reason: "malformed" };
  const hash = hashCredential(context.credentialHmacKey, credential);
  if (options.cached) {
    const principal = context.principalCache.get(hash);
    if (principal !== undefined) {
      if (principal.kind !== "token") return { ok: true, principal };
      if (principal.token.expiresAt > context.now().toISOString()) return { ok: true, principal };
      context.principalCache.evict([principal.id]);
      return { ok: false, reason: "expired", tenantId: principal.tenantId };
    }
  }
  const resolved = await lookUpPrincipal(context, credential);
  if ("failure" in resolved) {
    return resolved.tenantId === undefined
      ? { ok: false, reason: resolved.failure }
      : { ok: false, reason: resolved.failure, tenantId: resolved.tenantId };
  }
  context.principalCache.set(resolved.principal);
  return { ok: true, principal: resolved.principal };
}

/**
 * Records a refused credential (`auth.failed`, under the token's tenant when it is known, else the
 * operator's) and returns the one error every refusal gets, so that they cannot be told apart.
 */
export async function refuseCredential(
  context: VaultContext,
  origin: Origin,
  reason: string,
  tenantId?: string,
): Promise<never> {
  const tenant = tenantId ?? (await context.data.principals.findOperatorTenant())?.id;
  if (tenant !== undefined) {
    await recordAudit(context, origin, null, tenant, {
      event: "auth.failed",
      outcome: "denied",
      detail: { reason },
    });
  }
  throw unauthorized();
}

/** A token used from outside its `allowed_ips` gets 403 IP_NOT_ALLOWED (audited). */
export async function requireAllowedAddress(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
): Promise<void> {
  if (principal.kind !== "token" || principal.token.allowedIps === null) return;
  const parsed = parseIpAllowlist(principal.token.allowedIps);
  if (parsed.ok && origin.ip !== null && parsed.allowlist.allows(origin.ip)) return;
  await recordAudit(context, origin, principal, principal.tenantId, {
    event: "token.denied",
    outcome: "denied",
    detail: { reason: "ip_not_allowed" },
  });
  throw ipNotAllowed();
}
