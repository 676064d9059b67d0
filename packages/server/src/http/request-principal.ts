import type { FastifyRequest } from "fastify";
import type { Principal } from "../vault/principal.js";

const principals = new WeakMap<FastifyRequest, Principal>();

export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

/** The request's principal; only routes that run the `authenticate` preHandler have one. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (principal === undefined) throw new Error("route is missing the authenticate preHandler");
  return principal;
}
