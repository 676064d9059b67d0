import { parseScope } from "@agentsecretstore/protocol";
import { z } from "zod";
import { generateCredential, generateId, hashCredential } from "../../crypto/credentials.js";
import { appendAudit } from "../../vault/audit-event.js";
import type { AgentRecord } from "../../vault/records.js";
import { requireAdmin } from "../../vault/require-admin.js";
import { revokeTokens } from "../../vault/revoke-tokens.js";
import { runUnitOfWork } from "../../vault/unit-of-work.js";
import type { VaultContext } from "../../vault/vault-context.js";
import {
  notFound,
  shownId,
  type ValidationIssue,
  validationError,
} from "../../vault/vault-error.js";
import { originOf } from "../request-origin.js";
import { principalOf } from "../request-principal.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import {
  agentResponse,
  createAgentBody,
  createdAgentResponse,
  idParams,
} from "../schemas/principal-schemas.js";
import type { VaultApp } from "../vault-app.js";

const TAGS = ["agents"];

function toAgentBody(agent: AgentRecord): z.infer<typeof agentResponse> {
  return {
    agent_id: agent.id,
    id: agent.id,
    name: agent.name,
    description: agent.description,
    allowed_scopes: agent.allowedScopes,
    created_at: agent.createdAt,
  };
}

/** Agents and their keys (admin only). */
export function registerAgentRoutes(app: VaultApp, context: VaultContext): void {
  app.post(
    "/v1/agents",
    {
      schema: {
        summary: "Create an agent with an allowed_scopes ceiling (admin); its key is shown once",
        tags: TAGS,
        body: createAgentBody,
        response: { 201: createdAgentResponse, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request, reply) => {
      const admin = await requireAdmin(context, originOf(request), principalOf(request));
      const issues: ValidationIssue[] = [];
      request.body.allowed_scopes.forEach((text, index) => {
        const parsed = parseScope(text);
        if (!parsed.ok) issues.push({ field: `allowed_scopes.${index}`, message: parsed.message });
      });
      if (issues.length > 0) throw validationError(issues);
      const apiKey = generateCredential("agent");
      const agent: AgentRecord = {
        id: generateId("agt_"),
        tenantId: admin.tenantId,
        name: request.body.name,
        description: request.body.description ?? null,
        allowedScopes: [...new Set(request.body.allowed_scopes)],
        createdAt: context.now().toISOString(),
      };
      await context.data.transaction(async (stores) => {
        await stores.principals.insertAgent({
          ...agent,
          keyHash: hashCredential(context.credentialHmacKey, apiKey),
        });
        await appendAudit(stores, context, originOf(request), admin, {
          event: "agent.created",
          outcome: "success",
          detail: { agent_id: agent.id },
        });
      });
      reply.status(201);
      return { ...toAgentBody(agent), api_key: apiKey };
    },
  );

  app.get(
    "/v1/agents",
    {
      schema: {
        summary: "List the tenant's agents (admin)",
        tags: TAGS,
        response: {
          200: z.object({ items: z.array(agentResponse) }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request) => {
      const admin = await requireAdmin(context, originOf(request), principalOf(request));
      const agents = await context.data.principals.listAgents(admin.tenantId);
      return { items: agents.map(toAgentBody) };
    },
  );

  app.delete(
    "/v1/agents/:id",
    {
      schema: {
        summary: "Delete an agent: its key stops working and its tokens are revoked (admin)",
        description:
          "Every token the agent issued, and their descendants, is revoked; the agent's pending approval requests (its reads and its tokens') are cancelled.",
        tags: TAGS,
        params: idParams,
        response: { 204: z.null(), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      const admin = await requireAdmin(context, originOf(request), principalOf(request));
      const agentId = request.params.id;
      const actor = { principal: admin, origin: originOf(request) };
      const deleted = await runUnitOfWork(context, actor, async (unit) => {
        const at = context.now().toISOString();
        if (!(await unit.stores.principals.deleteAgent(admin.tenantId, agentId, at))) {
          return undefined;
        }
        // Nobody should be asked to approve for an agent that is gone.
        const revoked = await revokeTokens(unit, context, actor, {
          roots: await unit.stores.tokens.idsIssuedBy(admin.tenantId, agentId),
          auditEach: false,
          requesterId: agentId,
          reason: "agent deleted",
          alsoEvict: [agentId],
        });
        await unit.audit({
          event: "agent.deleted",
          outcome: "success",
          detail: { agent_id: agentId, revoked_tokens: revoked.length },
        });
        return revoked;
      });
      if (deleted === undefined) throw notFound(`No agent ${shownId(agentId)}`);
      return reply.status(204).send(null);
    },
  );
}
