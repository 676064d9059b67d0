import { CREDENTIAL_PREFIXES } from "@agentsecretstore/protocol";
import { z } from "zod";
import { createAgent, deleteAgent, listAgents } from "../../vault/agents.js";
import { rotateAgentKey } from "../../vault/key-rotation.js";
import type { AgentRecord } from "../../vault/records.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import {
  agentResponse,
  createAgentBody,
  createdAgentResponse,
  idParams,
  rotatedKeyResponse,
  rotateKeyBody,
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
    api_key_prefix: CREDENTIAL_PREFIXES.agent,
    active: true,
    last_active_at: null,
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
      const { agent, apiKey } = await createAgent(context, actorOf(request), {
        name: request.body.name,
        description: request.body.description ?? null,
        allowedScopes: request.body.allowed_scopes,
        allowedNamespaces: request.body.allowed_namespaces ?? null,
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
      const agents = await listAgents(context, actorOf(request));
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
      await deleteAgent(context, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/v1/agents/:id/rotate-key",
    {
      schema: {
        summary: "Give an agent a new key, shown once; the old one stops working (admin)",
        description:
          "The tokens the agent issued stay valid unless revoke_tokens is true (then they and their descendants are revoked).",
        tags: TAGS,
        params: idParams,
        body: rotateKeyBody,
        response: { 200: rotatedKeyResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request) => {
      const rotated = await rotateAgentKey(context, actorOf(request), request.params.id, {
        revokeTokens: request.body?.revoke_tokens === true,
      });
      return { id: rotated.id, api_key: rotated.apiKey, revoked_tokens: rotated.revokedTokens };
    },
  );
}
