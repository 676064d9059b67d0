import type { VaultAdmin } from "@agentsecretstore/client/admin";

/** Puts a person's or agent's name next to an id: `agt_… (nightly-batch)`. */
export type NameOf = (id: string | null | undefined) => string | null;

/** Shows ids as they are (when the names cannot be listed). */
export const idsOnly: NameOf = (id) => id ?? null;

/**
 * Looks up the tenant's agents and admins once (an admin key lists them), so that tables show
 * names beside ids. Without the right to list them, ids are shown alone.
 */
export async function principalNames(admin: VaultAdmin, signal?: AbortSignal): Promise<NameOf> {
  const options = signal === undefined ? {} : { signal };
  try {
    const [agents, admins] = await Promise.all([
      admin.listAgents(options),
      admin.listAdmins(options),
    ]);
    const names = new Map<string, string>([
      ...agents.map((agent) => [agent.agentId, agent.name] as const),
      ...admins.map((person) => [person.adminId, person.name] as const),
    ]);
    return (id) => {
      if (id === null || id === undefined) return null;
      const name = names.get(id);
      return name === undefined ? id : `${id} (${name})`;
    };
  } catch {
    return idsOnly;
  }
}
