import {
  type Scope,
  scopesAllow,
  scopesWithin,
  type Tier,
  tierAllows,
} from "@agentsecretstore/protocol";
import { generateCredential, generateId, hashCredential } from "../crypto/credentials.js";
import { ipEntriesWithin } from "../domain/ip-range.js";
import type { Stores } from "../store/stores.js";
import type { TokenRecord } from "../store/tokens-store.js";
import type { Origin } from "./actor.js";
import { announceApprovals, insertApprovalRequest } from "./approval-decisions.js";
import { newApprovalRecord } from "./approval-view.js";
import { recordAudit } from "./audit-event.js";
import { requireApprovedToken } from "./guard.js";
import type { Principal } from "./principal.js";
import { higherTier } from "./tier-gate.js";
import { DEFAULT_TOKEN_TTL_SECONDS, type TokenRequest } from "./token-request.js";
import { runUnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";
import { scopeDenied, VaultError } from "./vault-error.js";

/**
 * Thrown inside the issuing transaction to roll it back: the parent token is used up, expired or
 * revoked (`left` null), or has fewer uses left than the child asks for.
 */
class ParentUseRefused extends Error {
  constructor(readonly left: number | null) {
    super("the parent token cannot pay for this child");
  }
}

/**
 * Spends one use of the parent token, measures the child's share against the uses truly left
 * after it (racing requests all saw the same snapshot before), and takes that share out of the
 * parent's budget: a family never gets more uses than its root was given (`max_uses` 8 → at most
 * 8 reads over the whole tree). Both updates run in the transaction that stores the child, and
 * the first holds the parent's row, so racing mints are exact. Returns the child's `max_uses`.
 */
async function spendParentUse(
  stores: Stores,
  context: VaultContext,
  principal: Extract<Principal, { kind: "token" }>,
  wantedMaxUses: number | undefined,
  snapshotMaxUses: number | null,
): Promise<number | null> {
  const parent = principal.token;
  const uses = await stores.tokens.consumeUse(
    principal.tenantId,
    parent.id,
    context.now().toISOString(),
  );
  if (uses === undefined) throw new ParentUseRefused(null);
  if (parent.maxUses === null) return snapshotMaxUses;
  const left = parent.maxUses - uses;
  const childUses = wantedMaxUses === undefined ? left : snapshotMaxUses;
  if (left < 1 || childUses === null || childUses > left) throw new ParentUseRefused(left);
  if (!(await stores.tokens.reserveUses(principal.tenantId, parent.id, childUses))) {
    throw new ParentUseRefused(left);
  }
  return childUses;
}

/** A token just issued: its record and its value (shown once). */
export type RequestedToken = { record: TokenRecord; value: string };

async function deny(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  error: VaultError,
  reason: string,
): Promise<never> {
  await recordAudit(context, origin, principal, principal.tenantId, {
    event: "token.denied",
    outcome: "denied",
    detail: { reason },
  });
  throw error;
}

/** Refuses (and audits) the request when any wanted scope lies outside `ceiling`, held by `holder`. */
async function requireWithinCeiling(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  wanted: readonly Scope[],
  ceiling: readonly Scope[],
  holder: string,
): Promise<void> {
  const outside = wanted.find((scope) => !scopesWithin([scope], ceiling));
  if (outside === undefined) return;
  const error = scopeDenied(
    outside.pattern.join("/"),
    outside.text,
    `The requested scope ${outside.text} is outside ${holder}; ask only for what it covers`,
  );
  await deny(context, origin, principal, error, "ceiling");
}

/**
 * The tier a token's read or use scopes reach among existing secrets (standard when none above):
 * `use` (brokering with the value) is gated like a read. `read` implies `use`, so asking about
 * `use` covers both.
 */
async function tierNeeded(context: VaultContext, tenantId: string, scopes: Scope[]): Promise<Tier> {
  const gated = await context.data.secrets.listGated(tenantId, context.now().toISOString());
  let needed: Tier = "standard";
  for (const secret of gated) {
    if (scopesAllow(scopes, "use", secret.path)) needed = higherTier(needed, secret.tier);
  }
  return needed;
}

/**
 * Issues a token for `principal` (docs/protocol.md, "Tokens"): inside the caller's ceiling (an
 * agent's allowed scopes; a parent token's scopes, remaining lifetime and remaining uses),
 * pending approval when its read or use scopes cover an existing secret above the tier its issuer
 * may grant by itself (an agent: standard; an admin, who counts as one approver: sensitive; a
 * parent token: its approved tier). Consumes one use of a parent token.
 */
export async function requestToken(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  wanted: TokenRequest,
): Promise<RequestedToken> {
  const now = context.now();
  let ttlSeconds = wanted.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  let maxUses = wanted.maxUses ?? null;
  let allowedIps = wanted.allowedIps === null ? null : [...wanted.allowedIps.entries];
  // An admin counts as one approver: it grants up to sensitive alone; critical needs another admin.
  let issuerTier: Tier = "sensitive";

  if (principal.kind === "agent") {
    issuerTier = "standard";
    await requireWithinCeiling(
      context,
      origin,
      principal,
      wanted.scopes,
      principal.allowedScopes,
      "this agent's allowed scopes",
    );
  } else if (principal.kind === "token") {
    await requireApprovedToken(context, origin, principal);
    const parent = principal.token;
    issuerTier = parent.approvedTier;
    await requireWithinCeiling(
      context,
      origin,
      principal,
      wanted.scopes,
      principal.scopes,
      "the parent token's scopes",
    );
    const remainingSeconds = Math.floor((Date.parse(parent.expiresAt) - now.getTime()) / 1000);
    if (wanted.ttlSeconds === undefined) ttlSeconds = Math.min(ttlSeconds, remainingSeconds);
    // The parent's use for this very request counts before the child's share is measured.
    const remainingUses = parent.maxUses === null ? null : parent.maxUses - parent.uses - 1;
    if (wanted.maxUses === undefined) maxUses = remainingUses;
    const tooLong = ttlSeconds > remainingSeconds || ttlSeconds < 1;
    const tooMany =
      remainingUses !== null && (maxUses === null || maxUses > remainingUses || remainingUses < 1);
    if (tooLong || tooMany) {
      const message = tooLong
        ? `A child token cannot outlive its parent: at most ${remainingSeconds} seconds are left`
        : `A child token cannot have more uses than its parent has left (${Math.max(0, remainingUses ?? 0)})`;
      await deny(
        context,
        origin,
        principal,
        new VaultError("SCOPE_DENIED", message),
        tooLong ? "ttl" : "uses",
      );
    }
    // A child is used from where its parent may be used: it inherits the list when it gives none.
    if (parent.allowedIps !== null) {
      if (allowedIps === null) allowedIps = [...parent.allowedIps];
      else if (!ipEntriesWithin(allowedIps, parent.allowedIps)) {
        await deny(
          context,
          origin,
          principal,
          new VaultError(
            "SCOPE_DENIED",
            "A child token's allowed_ips must lie within its parent's allowed_ips; omit them to inherit the parent's",
          ),
          "allowed_ips",
        );
      }
    }
  }

  const needed = await tierNeeded(context, principal.tenantId, wanted.scopes);
  const pending = !tierAllows(issuerTier, needed);
  const value = generateCredential("token");
  const tokenId = generateId("tok_");
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  // The request expires with its token: a token that outlives no one needs no approval.
  const approval = pending
    ? newApprovalRecord(context, {
        tenantId: principal.tenantId,
        tier: needed,
        scopes: wanted.scopes.map((scope) => scope.text),
        path: null,
        requestedByType: principal.kind,
        requestedById: principal.id,
        tokenId,
        description: wanted.description,
        expiresAt,
      })
    : null;
  const fields: Omit<TokenRecord, "maxUses"> = {
    id: tokenId,
    tenantId: principal.tenantId,
    issuerType: principal.kind,
    issuerId: principal.id,
    parentTokenId: principal.kind === "token" ? principal.id : null,
    scopes: wanted.scopes.map((scope) => scope.text),
    description: wanted.description,
    allowedIps,
    uses: 0,
    ttlSeconds,
    expiresAt,
    revokedAt: null,
    approvalStatus: pending ? "pending" : "approved",
    approvalRequestId: approval?.id ?? null,
    approvedTier: issuerTier,
    createdAt: now.toISOString(),
  };

  let record: TokenRecord;
  try {
    record = await runUnitOfWork(context, { principal, origin }, async (unit) => {
      const { stores } = unit;
      // A parent's use is spent in the transaction that stores its child: a revocation of the
      // parent either comes first (the use is refused) or sees the child and revokes it too.
      const childUses =
        principal.kind === "token"
          ? await spendParentUse(stores, context, principal, wanted.maxUses, maxUses)
          : maxUses;
      const issued: TokenRecord = { ...fields, maxUses: childUses };
      await stores.tokens.insert({
        ...issued,
        tokenHash: hashCredential(context.credentialHmacKey, value),
      });
      await unit.audit({
        event: "token.issued",
        outcome: pending ? "pending" : "success",
        detail: {
          issued_token_id: issued.id,
          scopes: issued.scopes.join(" "),
          ttl_seconds: ttlSeconds,
        },
      });
      if (approval !== null) {
        const announcement = await insertApprovalRequest(
          stores,
          context,
          origin,
          principal,
          approval,
          { issued_token_id: issued.id },
        );
        unit.afterCommit(() => announceApprovals(context, [announcement]));
      }
      return issued;
    });
  } catch (error) {
    if (!(error instanceof ParentUseRefused)) throw error;
    context.metrics.countTokenUse(false);
    // Recorded after the rollback, as every refusal is (the parent keeps its use).
    if (error.left === null) {
      throw new VaultError("UNAUTHORIZED", "The parent token is used up, expired or revoked");
    }
    return deny(
      context,
      origin,
      principal,
      new VaultError(
        "SCOPE_DENIED",
        `A child token cannot have more uses than its parent has left (${Math.max(0, error.left)})`,
      ),
      "uses",
    );
  }
  if (principal.kind === "token") context.metrics.countTokenUse(true);
  return { record, value };
}
