import type { FastifyRequest } from "fastify";
import type { Origin } from "../vault/actor.js";
import { maskCredentials } from "../vault/vault-error.js";

const origins = new WeakMap<FastifyRequest, Origin>();

/** The request as the vault's audit sees it: address, request id, endpoint (credentials masked). */
export function originOf(request: FastifyRequest): Origin {
  let origin = origins.get(request);
  if (origin === undefined) {
    const path = request.url.split("?")[0] ?? request.url;
    origin = {
      ip: request.ip ?? null,
      requestId: request.id,
      endpoint: `${request.method} ${maskCredentials(path)}`,
    };
    origins.set(request, origin);
  }
  return origin;
}
