import { performance } from "node:perf_hooks";
import {
  type DestinationBinding,
  describeDestinations,
  destinationAllowed,
} from "@agentsecretstore/protocol";
import type { Actor } from "./actor.js";
import { recordAudit } from "./audit-event.js";
import { type CallApprovalRequest, requireCallApproval } from "./call-approval.js";
import {
  completeAction,
  consumeTokenUse,
  denyScope,
  mayDo,
  requireApprovedToken,
} from "./guard.js";
import { isExpired } from "./secret-fields.js";
import { withIntegrityCheck } from "./secret-integrity.js";
import { openValue } from "./secret-values.js";
import { higherTier, requireReadTier } from "./tier-gate.js";
import type { VaultContext } from "./vault-context.js";
import { secretNotFound, VaultError } from "./vault-error.js";

function destinationNotAllowed(
  path: string,
  call: BrokeredCall,
  bindings: readonly DestinationBinding[] | null,
): VaultError {
  const target = `${call.destination.origin}${call.destination.pathname}`;
  return new VaultError(
    "DESTINATION_NOT_ALLOWED",
    `The secret ${path} may not be sent to ${target}: its allowed_destinations are ${describeDestinations(bindings) || "none"}`,
    { path, route: call.route },
  );
}

/** One brokered call as the audit log records it: never a header, a body or a query string. */
export type BrokeredCall = {
  /** The broker route's name. */
  route: string;
  /** The secret whose value the route injects. */
  secretPath: string;
  /** The request's method. */
  method: string;
  /** The upstream path, without its query string. */
  path: string;
  /** Where the call goes: the upstream's origin and full path, without the query. */
  destination: URL;
  /** The route's `approval`: `"per_call"` makes every call wait for a person's approval. */
  approval: "per_call" | null;
  /** How the call is approved when it needs a per-call approval (route's or secret's). */
  callApproval: CallApprovalRequest;
};

/** What forwarding one call reports once its answer went back to the caller. */
export type ForwardOutcome = {
  /** The upstream's status. */
  status: number;
  /** Bytes of request body sent upstream. */
  bytesSent: number;
  /** Bytes of response body returned to the caller. */
  bytesReceived: number;
};

/**
 * Brokers one call with a secret the caller never receives (docs/protocol.md, "Credential
 * broker"): the guard's order as for a read — scope `use` on the route's secret (which `read`
 * and `*` imply), the token's approval, the secret's tier (a sensitive secret needs an approved
 * token, or a person's approval for an agent key) — then one token use, committed before
 * anything goes upstream, so `max_uses` counts calls exactly, together with a `secret.used`
 * event `started` (route, method, path without query). `forward` gets the value and streams the
 * call; its end is audited `secret.used` again with the upstream status, byte counts and duration
 * (a call that failed upstream, `failure`).
 */
export function brokerCall(
  context: VaultContext,
  actor: Actor,
  call: BrokeredCall,
  forward: (value: string) => Promise<ForwardOutcome>,
): Promise<ForwardOutcome> {
  return withIntegrityCheck(context, actor, call.secretPath, () =>
    brokerCallChecked(context, actor, call, forward),
  );
}

async function brokerCallChecked(
  context: VaultContext,
  { principal, origin }: Actor,
  call: BrokeredCall,
  forward: (value: string) => Promise<ForwardOutcome>,
): Promise<ForwardOutcome> {
  const path = call.secretPath;
  if (!mayDo(principal, "use", path)) await denyScope(context, origin, principal, "use", path);
  await requireApprovedToken(context, origin, principal);
  const secret = await context.data.secrets.findByPath(principal.tenantId, path);
  const stored =
    secret === undefined || isExpired(secret, context.now())
      ? undefined
      : await context.data.secrets.findVersion(
          principal.tenantId,
          secret.id,
          secret.currentVersion,
        );
  if (secret === undefined || stored === undefined) {
    await consumeTokenUse(context, origin, principal);
    throw secretNotFound(path);
  }
  if (!destinationAllowed(secret.allowedDestinations, call.destination)) {
    await recordAudit(context, origin, principal, principal.tenantId, {
      event: "secret.used",
      outcome: "denied",
      path,
      detail: { reason: "destination", route: call.route, destination: call.destination.origin },
    });
    throw destinationNotAllowed(path, call, secret.allowedDestinations);
  }
  const tier = higherTier(secret.tier, stored.tier);
  await requireReadTier(context, origin, principal, path, tier);
  if (call.approval === "per_call" || secret.approval === "per_call") {
    await requireCallApproval(context, { principal, origin }, path, tier, call.callApproval);
  }
  const facts = { route: call.route, method: call.method, upstream_path: call.path };
  // The call is on record before anything goes upstream, in the commit that spends the token's
  // use: a server killed while the call streams still leaves it in the audit log.
  await completeAction(
    context,
    origin,
    principal,
    { event: "secret.used", outcome: "started", path, version: stored.version, detail: facts },
    secret.id,
  );
  const value = await openValue(context, path, stored);
  const started = performance.now();
  let outcome: ForwardOutcome;
  try {
    outcome = await forward(value);
  } catch (error) {
    await recordAudit(context, origin, principal, principal.tenantId, {
      event: "secret.used",
      outcome: "failure",
      path,
      version: stored.version,
      detail: { ...facts, duration_ms: Math.round(performance.now() - started) },
    });
    throw error;
  }
  await recordAudit(context, origin, principal, principal.tenantId, {
    event: "secret.used",
    outcome: "success",
    path,
    version: stored.version,
    detail: {
      ...facts,
      status: outcome.status,
      bytes_sent: outcome.bytesSent,
      bytes_received: outcome.bytesReceived,
      duration_ms: Math.round(performance.now() - started),
    },
  });
  return outcome;
}
