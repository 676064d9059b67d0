import type { AuditEventContent } from "../audit/hash-chain.js";
import { generateId } from "../crypto/credentials.js";
import type { AuditDetail } from "../store/audit-store.js";
import type { Stores } from "../store/stores.js";
import type { Origin } from "./actor.js";
import { auditActor, type Principal } from "./principal.js";
import type { VaultContext } from "./vault-context.js";

/** What a route says about an event; who, when, where from and which request are filled in. */
export type AuditFacts = {
  event: string;
  /** `started`: an action whose end is recorded by a second event (a brokered call). */
  outcome: "success" | "denied" | "pending" | "failure" | "started";
  path?: string | null;
  version?: number | null;
  detail?: AuditDetail;
};

/** Builds an audit event for this request. Never give it a value or a credential. */
export function auditEventFor(
  context: VaultContext,
  origin: Origin,
  principal: Principal | null,
  tenantId: string,
  facts: AuditFacts,
): AuditEventContent {
  return {
    id: generateId("evt_"),
    at: context.now().toISOString(),
    tenantId,
    event: facts.event,
    ...auditActor(principal),
    path: facts.path ?? null,
    version: facts.version ?? null,
    ip: origin.ip,
    outcome: facts.outcome,
    requestId: origin.requestId,
    ...(facts.detail === undefined ? {} : { detail: facts.detail }),
  };
}

/** Appends the event inside the caller's transaction (the change and its record commit together). */
export async function appendAudit(
  stores: Stores,
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  facts: AuditFacts,
): Promise<void> {
  await stores.audit.append(auditEventFor(context, origin, principal, principal.tenantId, facts));
}

/**
 * Records an event that changes nothing else (a read, a denial, a failed login), optionally
 * marking a secret accessed; resolves once it is committed (group commit, see CommitGroup).
 */
export async function recordAudit(
  context: VaultContext,
  origin: Origin,
  principal: Principal | null,
  tenantId: string,
  facts: AuditFacts,
  accessedSecretId?: string,
): Promise<void> {
  const content = auditEventFor(context, origin, principal, tenantId, facts);
  await context.commits.append(
    accessedSecretId === undefined
      ? { event: content }
      : { event: content, touch: { tenantId, secretId: accessedSecretId, at: content.at } },
  );
}
