import type { FastifyRequest } from "fastify";
import { maskCredentials, scopeDenied } from "./api-error.js";
import { recordAudit } from "./audit-event.js";
import type { Principal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";

/** Admin-only endpoints: anything else gets 403 SCOPE_DENIED with `required_scope: "admin"`. */
export async function requireAdmin(
  context: VaultContext,
  request: FastifyRequest,
  principal: Principal,
  options: { operator?: boolean } = {},
): Promise<Extract<Principal, { kind: "admin" }>> {
  if (principal.kind === "admin" && (!options.operator || principal.isOperator)) return principal;
  const required = options.operator ? "operator" : "admin";
  const path = maskCredentials(request.url.split("?")[0] ?? request.url);
  await recordAudit(context, request, principal, principal.tenantId, {
    event: "auth.failed",
    outcome: "denied",
    detail: { reason: `needs_${required}`, endpoint: `${request.method} ${path}` },
  });
  throw scopeDenied(
    path,
    required,
    options.operator
      ? "This endpoint needs the operator's admin key (the one printed at first start)"
      : "This endpoint needs an admin key (ass_admin_…)",
  );
}
