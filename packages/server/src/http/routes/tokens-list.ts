import { z } from "zod";
import { listTokens } from "../../vault/list-tokens.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import { tokenSelfResponse } from "../schemas/token-schemas.js";
import { toTokenSelfBody } from "../token-response.js";
import type { VaultApp } from "../vault-app.js";

const listedToken = tokenSelfResponse.extend({
  issuer_id: z.string().describe("The agent, admin or parent token that minted it"),
  issuer_name: z.string().nullable().describe("Name of the agent or admin at the family's root"),
});

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
      const listed = await listTokens(context, actorOf(request));
      return {
        items: listed.map(({ token, rootIssuerName }) => ({
          ...toTokenSelfBody(token),
          issuer_id: token.issuerId,
          issuer_name: rootIssuerName,
        })),
      };
    },
  );
}
