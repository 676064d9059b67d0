import {
  NAMESPACES_READ,
  requiredScope,
  type Scope,
  type ScopeAction,
  scopesAllow,
  scopesListNamespaces,
} from "@agentsecretstore/protocol";
import type { PrincipalCheck } from "../store/commit-group.js";
import type { Origin } from "./actor.js";
import { type AuditFacts, auditEventFor, recordAudit } from "./audit-event.js";
import { refuseCredential } from "./authenticate-credential.js";
import type { Principal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";
import { approvalDenied, approvalPending, scopeDenied, VaultError } from "./vault-error.js";

/** The audit event an action's denial is recorded under. */
const EVENT_OF: Record<ScopeAction, string> = {
  read: "secret.read",
  write: "secret.updated",
  delete: "secret.deleted",
  use: "secret.used",
};

/** The scopes a principal acts under; admins are not limited by scopes inside their tenant. */
export function scopesOf(principal: Principal): readonly Scope[] | "all" {
  if (principal.kind === "admin") return "all";
  return principal.kind === "agent" ? principal.allowedScopes : principal.scopes;
}

/** Whether the principal's scopes allow `action` on `path` (no side effects). */
export function mayDo(principal: Principal, action: ScopeAction, path: string): boolean {
  const scopes = scopesOf(principal);
  return scopes === "all" || scopesAllow(scopes, action, path);
}

/** Records a denial and returns the SCOPE_DENIED error to throw. */
export async function denyScope(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  action: ScopeAction,
  path: string,
  required = requiredScope(action, path),
): Promise<never> {
  await recordAudit(context, origin, principal, principal.tenantId, {
    event: EVENT_OF[action],
    outcome: "denied",
    path,
    detail: { reason: "scope", required_scope: required },
  });
  throw scopeDenied(path, required);
}

/**
 * A token waiting for approval gets 202 APPROVAL_PENDING, a denied one 403 APPROVAL_DENIED;
 * neither consumes a use. Agent and admin keys pass.
 */
export async function requireApprovedToken(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
): Promise<void> {
  if (principal.kind !== "token") return;
  const { approvalStatus, approvalRequestId } = principal.token;
  if (approvalStatus === "approved") return;
  await recordAudit(context, origin, principal, principal.tenantId, {
    event: "token.denied",
    outcome: approvalStatus === "pending" ? "pending" : "denied",
    detail: { reason: `approval_${approvalStatus}` },
  });
  if (approvalStatus === "pending" && approvalRequestId !== null) {
    throw approvalPending(approvalRequestId);
  }
  throw approvalDenied("The approval request for this token was denied; request a new token");
}

/**
 * Checks scope and approval for one action on one path, recording any denial. Does not consume
 * a use: call {@link consumeTokenUse} once the request is known to be allowed.
 */
export async function authorizeAction(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  action: ScopeAction,
  path: string,
): Promise<void> {
  if (!mayDo(principal, action, path)) await denyScope(context, origin, principal, action, path);
  await requireApprovedToken(context, origin, principal);
}

/**
 * Checks that the principal may list the tenant's namespace names: {@link NAMESPACES_READ}, or
 * scopes that read every secret (admins may). Records a denial; consumes no use.
 */
export async function authorizeNamespaceListing(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
): Promise<void> {
  const scopes = scopesOf(principal);
  if (scopes !== "all" && !scopesListNamespaces(scopes)) {
    await recordAudit(context, origin, principal, principal.tenantId, {
      event: "secret.read",
      outcome: "denied",
      detail: { kind: "namespaces", reason: "scope", required_scope: NAMESPACES_READ },
    });
    throw new VaultError(
      "SCOPE_DENIED",
      `Listing namespaces needs the scope ${NAMESPACES_READ} (or secrets:read:*)`,
      { required_scope: NAMESPACES_READ },
    );
  }
  await requireApprovedToken(context, origin, principal);
}

/** The checks that confirm a principal in the commit: a token and whoever issued it. */
function checksOf(principal: Principal): PrincipalCheck[] {
  const { tenantId } = principal;
  if (principal.kind !== "token") {
    // The key itself, not only its owner: a key rotated on another instance stops at once.
    const viaSession = principal.kind === "admin" && principal.viaSession === true;
    return [
      {
        kind: principal.kind,
        tenantId,
        id: principal.id,
        ...(viaSession ? {} : { keyHash: principal.credentialHash }),
      },
    ];
  }
  const { token } = principal;
  const issuer: PrincipalCheck[] =
    token.issuerType === "agent" || token.issuerType === "admin"
      ? [{ kind: token.issuerType, tenantId, id: token.issuerId }]
      : [];
  return [{ kind: "token", tenantId, id: principal.id }, ...issuer];
}

/**
 * The guard's last steps, in one durable commit: the token use (exact for `max_uses` tokens, on
 * one instance or many), the audit event, the secret's access time, and the confirmation that the
 * principal (perhaps taken from the cache) still exists. A token that ran out, expired or was
 * revoked meanwhile, or whose issuer was deleted, gets the same 401 as any unusable credential.
 */
export async function completeAction(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  facts?: AuditFacts,
  accessedSecretId?: string,
): Promise<void> {
  const event =
    facts === undefined
      ? undefined
      : auditEventFor(context, origin, principal, principal.tenantId, facts);
  const outcome = await context.commits.append({
    ...(event === undefined ? {} : { event }),
    ...(event === undefined || accessedSecretId === undefined
      ? {}
      : { touch: { tenantId: principal.tenantId, secretId: accessedSecretId, at: event.at } }),
    ...(principal.kind === "token"
      ? {
          use: {
            tenantId: principal.tenantId,
            tokenId: principal.id,
            limited: principal.token.maxUses !== null,
          },
        }
      : {}),
    checks: checksOf(principal),
  });
  if (principal.kind === "token") context.metrics.countTokenUse(outcome === "committed");
  if (outcome === "committed") return;
  context.principalCache.evict([principal.id]);
  await refuseCredential(context, origin, outcome, principal.tenantId);
}

/**
 * Consumes one use of a token with nothing else to record (a 404, a write that records its own
 * event in its transaction); agent and admin keys have no uses but are confirmed all the same.
 */
export function consumeTokenUse(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
): Promise<void> {
  return completeAction(context, origin, principal);
}
