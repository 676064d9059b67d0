import type { Actor } from "./actor.js";
import { announceApprovals, cancelApprovals } from "./approval-decisions.js";
import type { UnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";

/** What {@link revokeTokens} revokes and how it records it. */
export type Revocation = {
  /** Tokens to revoke; each one's descendants go with it. */
  readonly roots: readonly string[];
  /** Record one `token.revoked` event per token (a revocation asked for as such). */
  readonly auditEach: boolean;
  /** Also cancel this requester's pending requests (a deleted agent's reads). */
  readonly requesterId?: string;
  /** Why pending requests are cancelled, as their comment says. */
  readonly reason: string;
  /** Principals gone with the tokens (a deleted agent or admin), evicted from the cache too. */
  readonly alsoEvict?: readonly string[];
};

/**
 * The one revocation of tokens (a token revoked, an agent or an admin deleted), inside a unit of
 * work: every root and its descendants are revoked, their pending approval requests cancelled
 * (nobody should approve for a token that is gone), and after commit the principal cache forgets
 * them and long-polls and webhooks hear of the cancellations. Returns the revoked ids.
 */
export async function revokeTokens(
  unit: UnitOfWork,
  context: VaultContext,
  actor: Actor,
  revocation: Revocation,
): Promise<string[]> {
  const { tenantId } = actor.principal;
  const at = context.now().toISOString();
  const revoked: string[] = [];
  for (const root of revocation.roots) {
    const ids = await unit.stores.tokens.revokeWithDescendants(tenantId, root, at);
    for (const id of ids) {
      revoked.push(id);
      if (revocation.auditEach) {
        await unit.audit({
          event: "token.revoked",
          outcome: "success",
          detail: { revoked_token_id: id, cascade_from: id === root ? null : root },
        });
      }
    }
  }
  const pending = await unit.stores.approvals.listPendingIdsFor(tenantId, {
    ...(revocation.requesterId === undefined ? {} : { requesterId: revocation.requesterId }),
    tokenIds: revoked,
  });
  const announcements = await cancelApprovals(
    unit.stores,
    context,
    actor.origin,
    actor.principal,
    pending,
    revocation.reason,
  );
  unit.afterCommit(() => {
    context.principalCache.evict([...revoked, ...(revocation.alsoEvict ?? [])]);
    announceApprovals(context, announcements);
  });
  return revoked;
}
