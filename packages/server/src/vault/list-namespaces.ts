import type { Origin } from "./actor.js";
import { authorizeNamespaceListing, completeAction } from "./guard.js";
import type { Principal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";

/**
 * The names of the tenant's namespaces that hold live secrets, each with every ancestor
 * (`production/openai` brings `production`), sorted. Needs `namespaces:read` (or reading every
 * secret); never shows a key, a value or metadata. One token use, audited as a listing.
 */
export async function listNamespaces(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
): Promise<{ namespaces: string[] }> {
  await authorizeNamespaceListing(context, origin, principal);
  const direct = await context.data.secrets.listNamespaces(
    principal.tenantId,
    context.now().toISOString(),
  );
  const names = new Set<string>();
  for (const namespace of direct) {
    const segments = namespace === "" ? [] : namespace.split("/");
    for (let length = 1; length <= segments.length; length += 1) {
      names.add(segments.slice(0, length).join("/"));
    }
  }
  const namespaces = [...names].sort();
  await completeAction(context, origin, principal, {
    event: "secret.read",
    outcome: "success",
    detail: { kind: "namespaces", count: namespaces.length },
  });
  return { namespaces };
}
