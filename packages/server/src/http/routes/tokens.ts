import { z } from "zod";
import { requestToken } from "../../vault/request-token.js";
import { revokeSelf, revokeToken } from "../../vault/revoke-token.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { notFound } from "../../vault/vault-error.js";
import { actorOf } from "../request-actor.js";
import { originOf } from "../request-origin.js";
import { principalOf } from "../request-principal.js";
import { AUTHENTICATED_ERRORS, errorBody, errorResponses } from "../schemas/error-schema.js";
import {
  createTokenBody,
  tokenIdParams,
  tokenResponse,
  tokenSelfResponse,
} from "../schemas/token-schemas.js";
import { readTokenRequest } from "../token-request.js";
import { toTokenBody, toTokenSelfBody } from "../token-response.js";
import type { VaultApp } from "../vault-app.js";

const TAGS = ["tokens"];

/** Scoped tokens: issue (incl. child tokens), inspect and revoke (docs/protocol.md, "Tokens"). */
export function registerTokenRoutes(app: VaultApp, context: VaultContext): void {
  app.post(
    "/v1/tokens",
    {
      schema: {
        summary: "Issue a scoped token (agent key, admin key, or a token for a child token)",
        description:
          "201 when approved, 202 (same body) when its read scopes cover an existing secret above the issuer's tier and a person must approve it. A child token stays within its parent's scopes, remaining lifetime, remaining uses and allowed_ips (else 403; omitted allowed_ips are inherited), and consumes one of the parent's uses. A pending parent gets 202 APPROVAL_PENDING (error body).",
        tags: TAGS,
        body: createTokenBody,
        response: {
          201: tokenResponse,
          202: z.union([tokenResponse, errorBody]),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const issued = await requestToken(
        context,
        originOf(request),
        principal,
        readTokenRequest(request.body),
      );
      reply.status(issued.record.approvalStatus === "approved" ? 201 : 202);
      return toTokenBody(issued.record, issued.value);
    },
  );

  app.get(
    "/v1/tokens/self",
    {
      schema: {
        summary: "The presenting token's own record (no value; consumes no use)",
        tags: TAGS,
        response: { 200: tokenSelfResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== "token") {
        throw notFound("GET /v1/tokens/self needs a token (ast_tok_…), not a key");
      }
      return toTokenSelfBody(principal.token);
    },
  );

  app.delete(
    "/v1/tokens/self",
    {
      schema: {
        summary: "Revoke the presenting token and all its descendants",
        tags: TAGS,
        response: { 204: z.null(), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      await revokeSelf(context, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  app.delete(
    "/v1/tokens/:token_id",
    {
      schema: {
        summary:
          "Revoke a token and all its descendants (its issuer, an ancestor token, or an admin)",
        description:
          "204 also when it was already revoked. 404 NOT_FOUND when no such token is visible to the caller. A token revoking a descendant consumes one use; a token revoking itself consumes none. Pending approval requests of the revoked tokens are cancelled.",
        tags: TAGS,
        params: tokenIdParams,
        response: { 204: z.null(), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      await revokeToken(context, actorOf(request), request.params.token_id);
      return reply.status(204).send(null);
    },
  );
}
