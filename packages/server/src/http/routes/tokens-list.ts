import { z } from "zod";
import type { Principal } from "../../vault/principal.js";
import type { TokenRecord } from "../../vault/records.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { principalOf } from "../request-principal.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import { tokenSelfResponse } from "../schemas/token-schemas.js";
import { toTokenSelfBody } from "../token-response.js";
import type { VaultApp } from "../vault-app.js";
import { principalNames } from "./principal-names.js";

const listedToken = tokenSelfResponse.extend({
  issuer_id: z.string().describe("The agent, admin or parent token that minted it"),
  issuer_name: z.string().nullable().describe("Name of the agent or admin at the family's root"),
});

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

/** `GET /v1/tokens`: the caller's live tokens (docs/protocol.md, "Tokens"), never values. */
export function registerTokenListRoute(app: VaultApp, context: VaultContext): void {
  app.get(
    "/v1/tokens",
    {
      schema: {
        summary:
          "The caller's live tokens in tree order, each parent before its children (never values)",
        description:
          "An admin sees every live token of its tenant, an agent the tokens it minted and their descendants, a token itself and its descendants. Live: not revoked, not expired, uses left (pending ones included). Consumes no token use.",
        tags: ["tokens"],
        response: {
          200: z.object({ items: z.array(listedToken) }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const [live, names] = await Promise.all([
        context.data.tokens.listLive(principal.tenantId, context.now().toISOString()),
        principalNames(context, principal.tenantId),
      ]);
      const byId = new Map(live.map((token) => [token.id, token]));
      return {
        items: visibleTokens(principal, live).map((token) => ({
          ...toTokenSelfBody(token),
          issuer_id: token.issuerId,
          issuer_name: names.get(rootIssuer(token, byId)) ?? null,
        })),
      };
    },
  );
}
