import { z } from "zod";
import { describeCredential } from "../../vault/describe-credential.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import { toTokenSelfBody } from "../token-response.js";
import type { VaultApp } from "../vault-app.js";

const meResponse = z.object({
  kind: z.enum(["admin", "agent", "token"]).describe("What the presented credential is"),
  id: z.string().describe("adm_…, agt_… or the token's id"),
  name: z.string().nullable().describe("The admin's or agent's name; a token's description"),
  tenant_id: z.string(),
  tenant_name: z.string().nullable(),
  is_operator: z.boolean().describe("An admin key printed at first start (may create tenants)"),
  scopes: z
    .array(z.string())
    .describe("An agent's allowed scopes, a token's scopes; [] for an admin (admin endpoints)"),
  expires_at: z.string().nullable().describe("Tokens only"),
  max_uses: z.number().int().nullable(),
  uses_remaining: z.number().int().nullable(),
  approval_status: z.enum(["approved", "pending", "denied"]).nullable(),
  approval_request_id: z.string().nullable(),
  parent_token_id: z.string().nullable(),
  issuer_type: z.enum(["agent", "admin", "token"]).nullable(),
  issuer_id: z.string().nullable(),
  issuer_name: z.string().nullable().describe("Name of the agent or admin at the family's root"),
});

/** `GET /v1/me`: what the presenting credential is (docs/protocol.md, "Tokens"). Consumes no token use. */
export function registerMeRoute(app: VaultApp, context: VaultContext): void {
  app.get(
    "/v1/me",
    {
      schema: {
        summary: "Describe the presenting credential (no value; consumes no token use)",
        tags: ["tokens"],
        response: { 200: meResponse, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request): Promise<z.infer<typeof meResponse>> => {
      const { principal, tenantName, name, agentScopes, rootIssuerName } = await describeCredential(
        context,
        actorOf(request),
      );
      const base = {
        id: principal.id,
        tenant_id: principal.tenantId,
        tenant_name: tenantName,
        is_operator: principal.kind === "admin" && principal.isOperator,
        expires_at: null,
        max_uses: null,
        uses_remaining: null,
        approval_status: null,
        approval_request_id: null,
        parent_token_id: null,
        issuer_type: null,
        issuer_id: null,
        issuer_name: null,
      };
      if (principal.kind === "admin") return { ...base, kind: "admin", name, scopes: [] };
      if (principal.kind === "agent") return { ...base, kind: "agent", name, scopes: agentScopes };
      const token = toTokenSelfBody(principal.token);
      return {
        ...base,
        kind: "token",
        name: token.description,
        scopes: token.scopes,
        expires_at: token.expires_at,
        max_uses: token.max_uses,
        uses_remaining: token.uses_remaining,
        approval_status: token.approval_status,
        approval_request_id: token.approval_request_id,
        parent_token_id: token.parent_token_id,
        issuer_type: principal.token.issuerType,
        issuer_id: principal.token.issuerId,
        issuer_name: rootIssuerName,
      };
    },
  );
}
