import { z } from "zod";
import type { TokenRecord } from "../../store/tokens-store.js";
import { authenticate } from "../authenticate.js";
import { type Principal, principalOf } from "../principal.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import { tokenSelfResponse } from "../schemas/token-schemas.js";
import { toTokenSelfBody } from "../token-response.js";
import type { VaultApp } from "../vault-app.js";
import type { VaultContext } from "../vault-context.js";
import { principalNames } from "./principal-names.js";

const listedToken = tokenSelfResponse.extend({
  issuer_id: z.string().describe("The agent, admin or parent token that minted it"),
  issuer_name: z.string().nullable().describe("Name of the agent or admin at the family's root"),
});

/**
 * Which of the tenant's live tokens a principal sees: an admin all of them, an agent the
 * families it minted, a token itself and its descendants. Parents come before their children.
 */
function visibleTokens(principal: Principal, live: readonly TokenRecord[]): TokenRecord[] {
  if (principal.kind === "admin") return [...live];
  const isRoot = (token: TokenRecord) =>
    principal.kind === "agent"
      ? token.issuerType === "agent" && token.issuerId === principal.id
      : token.id === principal.id;
  const shown = new Set(live.filter(isRoot).map((token) => token.id));
  // Oldest first, so a parent is always seen before its children.
  for (const token of live) {
    if (token.parentTokenId !== null && shown.has(token.parentTokenId)) shown.add(token.id);
  }
  return live.filter((token) => shown.has(token.id));
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

/** `GET /v1/tokens`: the caller's live tokens (API.md, second wave), never values. */
export function registerTokenListRoute(app: VaultApp, context: VaultContext): void {
  app.get(
    "/v1/tokens",
    {
      onRequest: authenticate(context),
      schema: {
        summary: "The caller's live tokens, parents before children (never values)",
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
