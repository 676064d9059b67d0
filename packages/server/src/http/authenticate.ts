import { parseScope, type Scope } from "@agentsecretstore/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleSessionFailure } from "../console/console-sessions.js";
import { credentialKindOf, hashCredential, hashesEqual } from "../crypto/credentials.js";
import { parseIpAllowlist } from "../domain/ip-allowlist.js";
import type { RateLimitHandle } from "../rate-limit/rate-limit-plugin.js";
import { ipNotAllowed, unauthorized } from "./api-error.js";
import { loadSettledApproval } from "./approval-decisions.js";
import { recordAudit } from "./audit-event.js";
import { type Principal, setPrincipal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";

type FailureReason =
  | "missing"
  | "malformed"
  | "unknown"
  | "revoked"
  | "expired"
  | "used_up"
  | ConsoleSessionFailure;

/** `Authorization: Bearer <credential>`, else `x-agent-key`; undefined when neither is usable. */
export function credentialFrom(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === "string") {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  const agentKey = request.headers["x-agent-key"];
  return typeof agentKey === "string" ? agentKey.trim() : undefined;
}

/** Stored scopes were checked when written; anything unparsable is dropped (deny by default). */
export function parseStoredScopes(texts: readonly string[]): Scope[] {
  const scopes: Scope[] = [];
  for (const text of texts) {
    const parsed = parseScope(text);
    if (parsed.ok) scopes.push(parsed.scope);
  }
  return scopes;
}

/** Whether the agent or admin that issued a token still exists (child tokens: their parent was checked). */
async function issuerIsLive(
  context: VaultContext,
  token: { tenantId: string; issuerType: string; issuerId: string },
): Promise<boolean> {
  const { principals } = context.data;
  if (token.issuerType === "agent") {
    return (await principals.findAgent(token.tenantId, token.issuerId)) !== undefined;
  }
  if (token.issuerType === "admin") {
    const admins = await principals.listAdmins(token.tenantId);
    return admins.some((admin) => admin.id === token.issuerId);
  }
  return true;
}

async function resolvePrincipal(
  context: VaultContext,
  credential: string,
): Promise<{ principal: Principal } | { failure: FailureReason; tenantId?: string }> {
  const kind = credentialKindOf(credential);
  if (kind === null) return { failure: "malformed" };
  const hash = hashCredential(context.credentialHmacKey, credential);
  const { principals, tokens } = context.data;
  if (kind === "admin") {
    const admin = await principals.findAdminByKeyHash(hash);
    if (!admin || !hashesEqual(admin.keyHash, hash)) return { failure: "unknown" };
    return {
      principal: {
        kind: "admin",
        id: admin.id,
        tenantId: admin.tenantId,
        isOperator: admin.isOperator,
        credentialHash: hash,
      },
    };
  }
  if (kind === "agent") {
    const agent = await principals.findAgentByKeyHash(hash);
    if (!agent || !hashesEqual(agent.keyHash, hash)) return { failure: "unknown" };
    return {
      principal: {
        kind: "agent",
        id: agent.id,
        tenantId: agent.tenantId,
        allowedScopes: parseStoredScopes(agent.allowedScopes),
        credentialHash: hash,
      },
    };
  }
  let token = await tokens.findByHash(hash);
  if (!token || !hashesEqual(token.tokenHash, hash)) return { failure: "unknown" };
  const tenantId = token.tenantId;
  if (token.revokedAt !== null) return { failure: "revoked", tenantId };
  if (token.expiresAt <= context.now().toISOString()) return { failure: "expired", tenantId };
  if (token.maxUses !== null && token.uses >= token.maxUses) {
    return { failure: "used_up", tenantId };
  }
  // Deleting an agent or admin revokes its tokens, but one minted while the deletion ran can
  // slip past that revocation: a token never outlives the key that issued it.
  if (!(await issuerIsLive(context, token))) return { failure: "revoked", tenantId };
  if (token.approvalStatus === "pending" && token.approvalRequestId !== null) {
    // Its request may have come due (a critical delay ended): settle it, then see the token anew.
    const approval = await loadSettledApproval(context, tenantId, token.approvalRequestId);
    if (approval !== undefined && approval.record.status !== "pending") {
      token = (await tokens.findByHash(hash)) ?? token;
    }
  }
  const { tokenHash: _omitted, ...record } = token;
  return {
    principal: {
      kind: "token",
      id: token.id,
      tenantId,
      token: record,
      scopes: parseStoredScopes(token.scopes),
      credentialHash: hash,
    },
  };
}

/**
 * The onRequest hook of every authenticated route. Unknown, malformed, expired, revoked and
 * used-up credentials all get the same 401 body (and an `auth.failed` audit event); a token used
 * from outside its `allowed_ips` gets 403 IP_NOT_ALLOWED. `request.ip` honours X-Forwarded-For
 * only from the configured trusted proxies.
 *
 * Rate limits (rate-limit-plugin.ts) wrap it: an address that spent its failed-authentication
 * budget is refused with 429 before its credential is looked at (which also bounds the
 * `auth.failed` events one address can cause), each failure counts against the address, and each
 * authenticated request counts against its credential.
 */
export function authenticate(context: VaultContext) {
  return async function authenticateRequest(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> {
    const limits = request.server.rateLimits as RateLimitHandle | undefined;
    if (limits !== undefined && !(await limits.checkFailedAuth(request, reply)).allowed) {
      return reply;
    }
    const credential = credentialFrom(request);
    const resolved: Awaited<ReturnType<typeof resolvePrincipal>> =
      credential === undefined
        ? // The console's one seam: a session cookie stands for the admin who signed in.
          ((await request.server.consoleSessions?.principalFor(request)) ?? { failure: "missing" })
        : await resolvePrincipal(context, credential);
    if ("failure" in resolved) {
      if (limits !== undefined && !(await limits.consumeFailedAuth(request, reply)).allowed) {
        return reply;
      }
      const tenantId =
        resolved.tenantId ?? (await context.data.principals.findOperatorTenant())?.id;
      if (tenantId !== undefined) {
        await recordAudit(context, request, null, tenantId, {
          event: "auth.failed",
          outcome: "denied",
          detail: { reason: resolved.failure },
        });
      }
      throw unauthorized();
    }
    const { principal } = resolved;
    if (
      limits !== undefined &&
      !(await limits.consumeForCredential(request, reply, principal.credentialHash)).allowed
    ) {
      return reply;
    }
    if (principal.kind === "token" && principal.token.allowedIps !== null) {
      const parsed = parseIpAllowlist(principal.token.allowedIps);
      if (!parsed.ok || !parsed.allowlist.allows(request.ip)) {
        await recordAudit(context, request, principal, principal.tenantId, {
          event: "token.denied",
          outcome: "denied",
          detail: { reason: "ip_not_allowed" },
        });
        throw ipNotAllowed();
      }
    }
    setPrincipal(request, principal);
    return undefined;
  };
}
