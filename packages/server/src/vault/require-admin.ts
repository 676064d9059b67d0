import type { Origin } from "./actor.js";
import { recordAudit } from "./audit-event.js";
import type { Principal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";
import { scopeDenied } from "./vault-error.js";

/** Admin-only endpoints: anything else gets 403 SCOPE_DENIED with `required_scope: "admin"`. */
export async function requireAdmin(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  options: { operator?: boolean } = {},
): Promise<Extract<Principal, { kind: "admin" }>> {
  if (principal.kind === "admin" && !options.operator) return principal;
  // The operator role can be handed on: asked of the database, not of a cached principal.
  if (
    principal.kind === "admin" &&
    (await context.data.principals.isOperator(principal.tenantId, principal.id))
  ) {
    return principal;
  }
  const required = options.operator ? "operator" : "admin";
  const endpoint = origin.endpoint ?? "";
  const path = endpoint.slice(endpoint.indexOf(" ") + 1);
  await recordAudit(context, origin, principal, principal.tenantId, {
    event: "auth.failed",
    outcome: "denied",
    detail: { reason: `needs_${required}`, endpoint },
  });
  throw scopeDenied(
    path,
    required,
    options.operator
      ? "This endpoint needs the operator's admin key (the one printed at first start)"
      : "This endpoint needs an admin key (ass_admin_…)",
  );
}
