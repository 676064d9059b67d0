import type { Actor } from "./actor.js";
import type { Principal } from "./principal.js";
import { principalNames } from "./principal-names.js";
import type { VaultContext } from "./vault-context.js";

/** What `GET /v1/me` tells about the presented credential, besides the principal itself. */
export type CredentialDescription = {
  principal: Principal;
  tenantName: string | null;
  /** The admin's or agent's name (a token's description is on its record). */
  name: string | null;
  /** An agent's allowed scopes as stored (a token's are on its record; an admin has none). */
  agentScopes: string[];
  /** A token's family root: the agent or admin that started it. */
  rootIssuerName: string | null;
};

/** Describes the actor's credential; spends no token use. */
export async function describeCredential(
  context: VaultContext,
  { principal }: Actor,
): Promise<CredentialDescription> {
  const [tenant, names] = await Promise.all([
    context.data.principals.findTenant(principal.tenantId),
    principalNames(context, principal.tenantId),
  ]);
  const description = {
    principal,
    tenantName: tenant?.name ?? null,
    name: null,
    agentScopes: [],
    rootIssuerName: null,
  };
  if (principal.kind === "admin") return { ...description, name: names.get(principal.id) ?? null };
  if (principal.kind === "agent") {
    const agent = await context.data.principals.findAgent(principal.tenantId, principal.id);
    return {
      ...description,
      name: names.get(principal.id) ?? null,
      agentScopes: agent?.allowedScopes ?? [],
    };
  }
  const root = await rootIssuerOf(context, principal.token);
  return { ...description, rootIssuerName: names.get(root) ?? null };
}

/** The agent or admin id at the root of a token's family (a child's issuer is its parent token). */
async function rootIssuerOf(
  context: VaultContext,
  token: { id: string; tenantId: string; issuerId: string },
): Promise<string> {
  const rootId = (await context.data.tokens.ancestorIds(token.tenantId, token.id)).at(-1);
  if (rootId === undefined) return token.issuerId;
  return (await context.data.tokens.findById(token.tenantId, rootId))?.issuerId ?? token.issuerId;
}
