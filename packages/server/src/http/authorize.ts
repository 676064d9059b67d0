import {
  requiredScope,
  type Scope,
  type ScopeAction,
  scopesAllow,
} from "@agentsecretstore/protocol";
import type { FastifyRequest } from "fastify";
import { approvalDenied, approvalPending, scopeDenied, unauthorized } from "./api-error.js";
import { recordAudit } from "./audit-event.js";
import type { Principal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";

/** The audit event an action's denial is recorded under. */
const EVENT_OF: Record<ScopeAction, string> = {
  read: "secret.read",
  write: "secret.updated",
  delete: "secret.deleted",
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
  request: FastifyRequest,
  principal: Principal,
  action: ScopeAction,
  path: string,
  required = requiredScope(action, path),
): Promise<never> {
  await recordAudit(context, request, principal, principal.tenantId, {
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
  request: FastifyRequest,
  principal: Principal,
): Promise<void> {
  if (principal.kind !== "token") return;
  const { approvalStatus, approvalRequestId } = principal.token;
  if (approvalStatus === "approved") return;
  await recordAudit(context, request, principal, principal.tenantId, {
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
  request: FastifyRequest,
  principal: Principal,
  action: ScopeAction,
  path: string,
): Promise<void> {
  if (!mayDo(principal, action, path)) await denyScope(context, request, principal, action, path);
  await requireApprovedToken(context, request, principal);
}

/**
 * Consumes one use of a token, atomically (agent and admin keys have no uses). A token that ran
 * out, expired or was revoked since authentication (a racing request won) gets the same 401.
 */
export async function consumeTokenUse(context: VaultContext, principal: Principal): Promise<void> {
  if (principal.kind !== "token") return;
  const uses = await context.data.tokens.consumeUse(
    principal.tenantId,
    principal.id,
    context.now().toISOString(),
  );
  context.metrics.countTokenUse(uses !== undefined);
  if (uses === undefined) throw unauthorized();
}
