import type { Actor } from "./actor.js";
import { consumeTokenUse } from "./guard.js";
import type { Principal } from "./principal.js";
import { revokeTokens } from "./revoke-tokens.js";
import { runUnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";
import { notFound, shownId } from "./vault-error.js";

// Revoking one token on request (DELETE /v1/tokens/{id} and /self); revoke-tokens.ts is the
// cascade that tokens, agents and admins being removed all go through.

/** Revokes the token and its descendants on behalf of the actor (one unit of work). */
function revokeFamily(context: VaultContext, actor: Actor, tokenId: string): Promise<string[]> {
  return runUnitOfWork(context, actor, (unit) =>
    revokeTokens(unit, context, actor, {
      roots: [tokenId],
      auditEach: true,
      reason: "token revoked",
    }),
  );
}

/** Whether `principal` issued the token or one of its ancestors, or is one of its ancestors. */
async function mayRevoke(
  context: VaultContext,
  principal: Principal,
  tokenId: string,
): Promise<boolean> {
  if (principal.kind === "admin") return true;
  const { tokens } = context.data;
  const chain = [tokenId, ...(await tokens.ancestorIds(principal.tenantId, tokenId))];
  if (principal.kind === "token" && chain.includes(principal.id)) return true;
  for (const id of chain) {
    const token = await tokens.findById(principal.tenantId, id);
    if (token && token.issuerType === principal.kind && token.issuerId === principal.id) {
      return true;
    }
  }
  return false;
}

/**
 * Revokes a token and all its descendants; their pending approval requests are cancelled. The
 * actor must be an admin, the token's issuer, or one of its ancestors (issuers included); any
 * other token is NOT_FOUND, as one that does not exist. A token revoking a descendant spends one
 * use; a token revoking itself spends none (a pending token has none to spend).
 */
export async function revokeToken(
  context: VaultContext,
  actor: Actor,
  tokenId: string,
): Promise<void> {
  const { principal, origin } = actor;
  const token = await context.data.tokens.findById(principal.tenantId, tokenId);
  if (token === undefined || !(await mayRevoke(context, principal, tokenId))) {
    throw notFound(`No token ${shownId(tokenId)} that this credential may revoke`);
  }
  if (tokenId !== principal.id) await consumeTokenUse(context, origin, principal);
  await revokeFamily(context, actor, tokenId);
}

/** Revokes the presenting token and its descendants, spending no use. NOT_FOUND for a key. */
export async function revokeSelf(context: VaultContext, actor: Actor): Promise<void> {
  if (actor.principal.kind !== "token") {
    throw notFound("DELETE /v1/tokens/self needs a token (ast_tok_…), not a key");
  }
  await revokeFamily(context, actor, actor.principal.id);
}
