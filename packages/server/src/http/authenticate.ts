import type { FastifyReply, FastifyRequest } from "fastify";
import type { RateLimitHandle } from "../rate-limit/rate-limit-plugin.js";
import {
  type Authentication,
  refuseCredential,
  requireAllowedAddress,
  resolvePrincipal,
} from "../vault/authenticate-credential.js";
import { budgetKeyOf } from "../vault/principal.js";
import type { VaultContext } from "../vault/vault-context.js";
import { originOf } from "./request-origin.js";
import { setPrincipal } from "./request-principal.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The route may take its principal from the principal cache: every way it answers ends in a
     * commit that confirms the principal (the hot read routes, and the secret writes: their guard
     * spends the token use, which confirms it, before anything is written).
     */
    cachedPrincipal?: boolean;
  }
}

/**
 * `Authorization: Bearer <credential>`, else `X-Vault-Token`, else `x-agent-key`; undefined when
 * none is usable.
 */
export function credentialFrom(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === "string") {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  const vaultToken = request.headers["x-vault-token"];
  if (typeof vaultToken === "string") return vaultToken.trim();
  const agentKey = request.headers["x-agent-key"];
  return typeof agentKey === "string" ? agentKey.trim() : undefined;
}

/**
 * The onRequest hook of every authenticated route. Unknown, malformed, expired, revoked and
 * used-up credentials all get the same 401 body (and an `auth.failed` audit event); a token used
 * from outside its `allowed_ips` gets 403 IP_NOT_ALLOWED. `request.ip` honours X-Forwarded-For
 * only from the configured trusted proxies.
 *
 * Rate limits (rate-limit-plugin.ts) wrap it, after the credential is checked (from the principal
 * cache on the hot routes): a valid credential is never refused for its address's failures; it
 * counts against its caller's budget (and writes against the write budget). Each failure counts
 * against the client address; once the address spent that budget, further failures get the
 * same 429 whatever the bad credential was (no `auth.failed` event either, which bounds what one
 * address can write to the audit log).
 */
export function authenticate(context: VaultContext) {
  return async function authenticateRequest(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> {
    const limits = request.server.rateLimits as RateLimitHandle | undefined;
    const credential = credentialFrom(request);
    // The console's one seam: with no credential, a session cookie stands for the admin who
    // signed in.
    const session =
      credential === undefined
        ? await request.server.consoleSessions?.principalFor(request)
        : undefined;
    const resolved: Authentication =
      session === undefined
        ? await resolvePrincipal(context, credential, {
            cached: request.routeOptions.config.cachedPrincipal === true,
          })
        : "failure" in session
          ? {
              ok: false,
              reason: session.failure,
              ...(session.tenantId === undefined ? {} : { tenantId: session.tenantId }),
            }
          : { ok: true, principal: session.principal };
    if (!resolved.ok) {
      if (limits !== undefined && !(await limits.consumeFailedAuth(request, reply)).allowed) {
        return reply;
      }
      return refuseCredential(context, originOf(request), resolved.reason, resolved.tenantId);
    }
    const { principal } = resolved;
    if (
      limits !== undefined &&
      !(await limits.consumeForCredential(request, reply, budgetKeyOf(principal))).allowed
    ) {
      return reply;
    }
    await requireAllowedAddress(context, originOf(request), principal);
    setPrincipal(request, principal);
    return undefined;
  };
}
