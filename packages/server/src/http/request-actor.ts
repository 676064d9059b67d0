import type { FastifyRequest } from "fastify";
import type { Actor } from "../vault/actor.js";
import { originOf } from "./request-origin.js";
import { principalOf } from "./request-principal.js";

/** Who asks and from where, as the services take it (authenticated routes only). */
export function actorOf(request: FastifyRequest): Actor {
  return { principal: principalOf(request), origin: originOf(request) };
}
