import { checkNamespace, fromHostedScope, parseScope } from "@agentsecretstore/protocol";
import { generateCredential, generateId, hashCredential } from "../crypto/credentials.js";
import type { AgentRecord } from "../store/principals-store.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit-event.js";
import { requireAdmin } from "./require-admin.js";
import { revokeTokens } from "./revoke-tokens.js";
import { runUnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";
import { notFound, shownId, type ValidationIssue, validationError } from "./vault-error.js";

/**
 * A new agent as an admin describes it. `allowedNamespaces` (the hosted product's field) is
 * where its scope names (`read:secrets`, …) apply; scopes in this protocol's grammar stay as
 * they are.
 */
export type NewAgent = {
  name: string;
  description?: string | null;
  allowedScopes: string[];
  allowedNamespaces?: string[] | null;
};

/** The ceiling in this protocol's grammar (hosted names translated), or a 400 naming the field. */
function readCeiling(request: NewAgent): string[] {
  const issues: ValidationIssue[] = [];
  const namespaces = request.allowedNamespaces ?? [];
  namespaces.forEach((namespace, index) => {
    const checked = checkNamespace(namespace);
    if (!checked.ok || namespace === "") {
      const message = checked.ok ? "must not be empty" : checked.message;
      issues.push({ field: `allowed_namespaces.${index}`, message });
    }
  });
  const scopes: string[] = [];
  request.allowedScopes.forEach((text, index) => {
    for (const scope of fromHostedScope(text, namespaces) ?? [text]) {
      const parsed = parseScope(scope);
      if (parsed.ok) scopes.push(scope);
      else issues.push({ field: `allowed_scopes.${index}`, message: parsed.message });
    }
  });
  if (issues.length > 0) throw validationError(issues);
  return [...new Set(scopes)];
}

/**
 * Creates an agent whose tokens can never exceed `allowedScopes` (admin only). Returns the
 * agent and its key; the key is shown this once and only its keyed hash is kept.
 */
export async function createAgent(
  context: VaultContext,
  { principal, origin }: Actor,
  request: NewAgent,
): Promise<{ agent: AgentRecord; apiKey: string }> {
  const admin = await requireAdmin(context, origin, principal);
  const allowedScopes = readCeiling(request);
  const apiKey = generateCredential("agent");
  const agent: AgentRecord = {
    id: generateId("agt_"),
    tenantId: admin.tenantId,
    name: request.name,
    description: request.description ?? null,
    allowedScopes,
    createdAt: context.now().toISOString(),
  };
  await context.data.transaction(async (stores) => {
    await stores.principals.insertAgent({
      ...agent,
      keyHash: hashCredential(context.credentialHmacKey, apiKey),
    });
    await appendAudit(stores, context, origin, admin, {
      event: "agent.created",
      outcome: "success",
      detail: { agent_id: agent.id },
    });
  });
  return { agent, apiKey };
}

/** The tenant's agents (admin only). */
export async function listAgents(
  context: VaultContext,
  { principal, origin }: Actor,
): Promise<AgentRecord[]> {
  const admin = await requireAdmin(context, origin, principal);
  return context.data.principals.listAgents(admin.tenantId);
}

/**
 * Deletes an agent (admin only): its key stops working, every token it issued and their
 * descendants are revoked, and its pending approval requests are cancelled. NOT_FOUND when
 * there is no such agent.
 */
export async function deleteAgent(
  context: VaultContext,
  { principal, origin }: Actor,
  agentId: string,
): Promise<void> {
  const admin = await requireAdmin(context, origin, principal);
  const actor = { principal: admin, origin };
  const deleted = await runUnitOfWork(context, actor, async (unit) => {
    const at = context.now().toISOString();
    if (!(await unit.stores.principals.deleteAgent(admin.tenantId, agentId, at))) return false;
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
    return true;
  });
  if (!deleted) throw notFound(`No agent ${shownId(agentId)}`);
}
