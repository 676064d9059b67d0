import { parseScope } from "@agentsecretstore/protocol";
import { z } from "zod";
import { generateCredential, generateId, hashCredential } from "../../crypto/credentials.js";
import type { AgentRecord } from "../../store/principals-store.js";
import { notFound, shownId, type ValidationIssue, validationError } from "../api-error.js";
import {
  announceApprovals,
  cancelApprovals,
  inApprovalTransaction,
} from "../approval-decisions.js";
import { appendAudit } from "../audit-event.js";
import { authenticate } from "../authenticate.js";
import { principalOf } from "../principal.js";
import { requireAdmin } from "../require-admin.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import {
  agentResponse,
  createAgentBody,
  createdAgentResponse,
  idParams,
} from "../schemas/principal-schemas.js";
import type { VaultApp } from "../vault-app.js";
import type { VaultContext } from "../vault-context.js";

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
  const onRequest = authenticate(context);

  app.post(
    "/v1/agents",
    {
      onRequest,
      schema: {
        summary: "Create an agent with an allowed_scopes ceiling (admin); its key is shown once",
        tags: TAGS,
        body: createAgentBody,
        response: { 201: createdAgentResponse, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request, reply) => {
      const admin = await requireAdmin(context, request, principalOf(request));
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
        await appendAudit(stores, context, request, admin, {
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
      onRequest,
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
      const admin = await requireAdmin(context, request, principalOf(request));
      const agents = await context.data.principals.listAgents(admin.tenantId);
      return { items: agents.map(toAgentBody) };
    },
  );

  app.delete(
    "/v1/agents/:id",
    {
      onRequest,
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
      const admin = await requireAdmin(context, request, principalOf(request));
      const at = context.now().toISOString();
      const agentId = request.params.id;
      const deleted = await inApprovalTransaction(context, async (stores) => {
        if (!(await stores.principals.deleteAgent(admin.tenantId, agentId, at))) {
          return undefined;
        }
        const revoked: string[] = [];
        for (const tokenId of await stores.tokens.idsIssuedBy(admin.tenantId, agentId)) {
          revoked.push(...(await stores.tokens.revokeWithDescendants(admin.tenantId, tokenId, at)));
        }
        await appendAudit(stores, context, request, admin, {
          event: "agent.deleted",
          outcome: "success",
          detail: { agent_id: agentId, revoked_tokens: revoked.length },
        });
        // Nobody should be asked to approve for an agent that is gone.
        const pending = await stores.approvals.listPendingIdsFor(admin.tenantId, {
          requesterId: agentId,
          tokenIds: revoked,
        });
        return cancelApprovals(stores, context, request, admin, pending, "agent deleted");
      });
      if (deleted === undefined) throw notFound(`No agent ${shownId(agentId)}`);
      announceApprovals(context, deleted);
      return reply.status(204).send(null);
    },
  );
}
