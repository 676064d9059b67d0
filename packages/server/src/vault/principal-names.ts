import type { VaultContext } from "./vault-context.js";

/** Names of a tenant's agents and admins by id, so that answers can put a name next to an id. */
export async function principalNames(
  context: VaultContext,
  tenantId: string,
): Promise<ReadonlyMap<string, string>> {
  const [agents, admins] = await Promise.all([
    context.data.principals.listAgents(tenantId),
    context.data.principals.listAdmins(tenantId),
  ]);
  return new Map([...agents, ...admins].map((principal) => [principal.id, principal.name]));
}
