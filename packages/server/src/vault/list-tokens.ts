import type { Actor } from "./actor.js";
import type { Principal } from "./principal.js";
import { principalNames } from "./principal-names.js";
import type { TokenRecord } from "./records.js";
import type { VaultContext } from "./vault-context.js";

/** A live token as listings show it: its record and the name at its family's root. */
export type ListedToken = { token: TokenRecord; rootIssuerName: string | null };

/**
 * Which of the tenant's live tokens a principal sees, in tree order (each parent right before
 * its children): an admin all of them, an agent the families it minted, a token itself and
 * its descendants.
 */
function visibleTokens(principal: Principal, live: readonly TokenRecord[]): TokenRecord[] {
  const liveIds = new Set(live.map((token) => token.id));
  const children = new Map<string, TokenRecord[]>();
  for (const token of live) {
    if (token.parentTokenId === null || !liveIds.has(token.parentTokenId)) continue;
    children.set(token.parentTokenId, [...(children.get(token.parentTokenId) ?? []), token]);
  }
  const roots = live.filter((token) => {
    if (principal.kind === "admin")
      return token.parentTokenId === null || !liveIds.has(token.parentTokenId);
    if (principal.kind === "agent")
      return token.issuerType === "agent" && token.issuerId === principal.id;
    return token.id === principal.id;
  });
  const ordered: TokenRecord[] = [];
  const visit = (token: TokenRecord, depth: number) => {
    ordered.push(token);
    // Bounded: a corrupt cycle must not spin forever.
    if (depth < 1000) for (const child of children.get(token.id) ?? []) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return ordered;
}

/** The family root's agent or admin id, walking parent links within `byId`. */
function rootIssuer(token: TokenRecord, byId: ReadonlyMap<string, TokenRecord>): string {
  let current = token;
  for (let depth = 0; current.issuerType === "token" && depth < 1000; depth += 1) {
    const parent = current.parentTokenId === null ? undefined : byId.get(current.parentTokenId);
    if (parent === undefined) break;
    current = parent;
  }
  return current.issuerId;
}

/**
 * The actor's live tokens (not revoked, not expired, uses left; pending ones included), in tree
 * order, never values. Spends no token use.
 */
export async function listTokens(
  context: VaultContext,
  { principal }: Actor,
): Promise<ListedToken[]> {
  const [live, names] = await Promise.all([
    context.data.tokens.listLive(principal.tenantId, context.now().toISOString()),
    principalNames(context, principal.tenantId),
  ]);
  const byId = new Map(live.map((token) => [token.id, token]));
  return visibleTokens(principal, live).map((token) => ({
    token,
    rootIssuerName: names.get(rootIssuer(token, byId)) ?? null,
  }));
}
