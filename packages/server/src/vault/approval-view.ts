import type { ApprovalStatus, Tier } from "@agentsecretstore/protocol";
import {
  type ApprovalState,
  approvalsNeeded,
  newApprovalState,
  settleApproval,
} from "../approvals/approval-policy.js";
import type { WebhookApproval } from "../approvals/webhook-event.js";
import { generateId } from "../crypto/credentials.js";
import type {
  ApprovalCall,
  ApprovalChangeFields,
  ApprovalDecisionRecord,
  ApprovalRecord,
} from "../store/approvals-store.js";
import type { VaultContext } from "./vault-context.js";

/** An approval request with the approvals given to it: what the policy and the wire need. */
export type ApprovalView = { record: ApprovalRecord; approvals: ApprovalDecisionRecord[] };

/** Rows from before expiry was stored expire this long after they were made (the policy default). */
const LEGACY_REQUEST_TTL_SECONDS = 86_400;

function dateOrNull(iso: string | null): Date | null {
  return iso === null ? null : new Date(iso);
}

function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/**
 * Whether a request is an admin action (admin-actions.ts: creating or deleting an admin): asked by
 * an admin for neither a secret path nor a token.
 */
export function isAdminAction(record: ApprovalRecord): boolean {
  return record.requestedByType === "admin" && record.path === null && record.tokenId === null;
}

/** The policy's view of a stored request (approval-policy.ts decides everything from this). */
export function policyStateOf(view: ApprovalView): ApprovalState {
  const { record } = view;
  const expiresAt =
    record.expiresAt ??
    new Date(Date.parse(record.createdAt) + LEGACY_REQUEST_TTL_SECONDS * 1000).toISOString();
  return {
    status: record.status,
    tier: record.tier,
    approvals: view.approvals.map((entry) => ({
      by: entry.by,
      at: new Date(entry.at),
      comment: entry.comment,
    })),
    requesterId: record.requestedById,
    requesterApproves: record.requestedByType === "admin",
    immediate: isAdminAction(record),
    createdAt: new Date(record.createdAt),
    expiresAt: new Date(expiresAt),
    eligibleAt: dateOrNull(record.eligibleAt),
    decidedAt: dateOrNull(record.decidedAt),
    decidedBy: record.decidedBy,
  };
}

/** The view as it stands at `now`: a request whose time came reads as approved or expired. */
export function settledViewAt(view: ApprovalView, now: Date, grantSeconds: number): ApprovalView {
  const state = policyStateOf(view);
  const settled = settleApproval(state, now);
  if (settled === state) return view;
  return { ...view, record: { ...view.record, ...fieldsFor(view.record, settled, grantSeconds) } };
}

/**
 * The columns a new policy state sets. An approved read request (an agent's or an admin's) grants
 * its requester the path for `grantSeconds` from the moment it took effect; an approved admin
 * action (creating or deleting an admin) may be carried out once within the same time.
 */
export function fieldsFor(
  record: ApprovalRecord,
  next: ApprovalState,
  grantSeconds: number,
  comment?: string | null,
): ApprovalChangeFields {
  const grants = record.tokenId === null;
  const grantExpiresAt =
    next.status === "approved" && grants && next.decidedAt !== null
      ? new Date(next.decidedAt.getTime() + grantSeconds * 1000).toISOString()
      : record.grantExpiresAt;
  return {
    status: next.status,
    eligibleAt: isoOrNull(next.eligibleAt),
    decidedAt: isoOrNull(next.decidedAt),
    decidedBy: next.decidedBy,
    decisionComment: comment === undefined ? record.decisionComment : comment,
    grantExpiresAt,
  };
}

/** What a new request is about. */
export type NewApprovalRequest = {
  tenantId: string;
  tier: Tier;
  scopes: string[];
  /** The secret path of a read request; null for a token request or an admin action. */
  path: string | null;
  requestedByType: ApprovalRecord["requestedByType"];
  requestedById: string;
  /** The pending token; null for an agent's read request. */
  tokenId: string | null;
  description: string | null;
  /** A token's request expires with the token; otherwise the policy's request lifetime applies. */
  expiresAt?: string;
  /** A per-call request's call. */
  call?: ApprovalCall;
};

/** A new pending request, shaped by the policy (required approvals, expiry). */
export function newApprovalRecord(
  context: VaultContext,
  request: NewApprovalRequest,
): ApprovalRecord {
  const now = context.now();
  // An admin asking counts as one approver (approval-policy.ts, approvalsNeeded).
  const requester = {
    tier: request.tier,
    requesterId: request.requestedById,
    requesterApproves: request.requestedByType === "admin",
  };
  const state = newApprovalState(requester, now, context.approvalPolicy);
  return {
    id: generateId("apr_"),
    tenantId: request.tenantId,
    status: state.status,
    tier: request.tier,
    scopes: request.scopes,
    path: request.path,
    requestedByType: request.requestedByType,
    requestedById: request.requestedById,
    tokenId: request.tokenId,
    description: request.description,
    requiredApprovals: approvalsNeeded(requester),
    eligibleAt: isoOrNull(state.eligibleAt),
    decidedAt: isoOrNull(state.decidedAt),
    grantExpiresAt: null,
    createdAt: now.toISOString(),
    expiresAt: request.expiresAt ?? state.expiresAt.toISOString(),
    decidedBy: null,
    decisionComment: null,
    version: 0,
    call: request.call ?? null,
    usedAt: null,
  };
}

/**
 * An approval request as answers carry it (`GET /v1/approvals/{id}` and the lists): what an
 * approver decides on. http/schemas/approval-schemas.ts describes the same shape for the wire,
 * and the type checker holds the two together.
 */
export type ApprovalBody = {
  id: string;
  approval_request_id: string;
  status: ApprovalStatus;
  tier: Tier;
  /** Same as tier (the newer name; docs/protocol.md's alias table). */
  access_tier: Tier;
  scopes: string[];
  /** Same as scopes. */
  requested_scopes: string[];
  path: string | null;
  token_id: string | null;
  requested_by: string;
  requested_by_type: "agent" | "admin" | "token";
  /** Same as requested_by. */
  agent_id: string;
  description: string | null;
  /** Same as description. */
  reason: string | null;
  approvals: { by: string; by_name: string | null; at: string; comment: string | null }[];
  required_approvals: number;
  eligible_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  decision_comment: string | null;
  expires_at: string;
  grant_expires_at: string | null;
  created_at: string;
  /** A per-call request's brokered call (what the approver decides on); null otherwise. */
  call: {
    route: string;
    method: string;
    url: string;
    body_sha256: string;
    body_bytes: number;
    body_preview: string;
    used_at: string | null;
  } | null;
};

/** {@link ApprovalBody} with the status as it stands at `now`. */
export function toApprovalBody(view: ApprovalView, now: Date, grantSeconds: number): ApprovalBody {
  const { record, approvals } = settledViewAt(view, now, grantSeconds);
  return {
    id: record.id,
    approval_request_id: record.id,
    status: record.status,
    tier: record.tier,
    access_tier: record.tier,
    scopes: record.scopes,
    requested_scopes: record.scopes,
    path: record.path,
    token_id: record.tokenId,
    requested_by: record.requestedById,
    requested_by_type: record.requestedByType,
    agent_id: record.requestedById,
    description: record.description,
    reason: record.description,
    approvals: approvals.map((entry) => ({
      by: entry.by,
      by_name: entry.byName,
      at: entry.at,
      comment: entry.comment,
    })),
    required_approvals: record.requiredApprovals,
    eligible_at: record.eligibleAt,
    decided_at: record.decidedAt,
    decided_by: record.decidedBy,
    decision_comment: record.decisionComment,
    expires_at: policyStateOf(view).expiresAt.toISOString(),
    grant_expires_at: record.grantExpiresAt,
    created_at: record.createdAt,
    call:
      record.call === null
        ? null
        : {
            route: record.call.route,
            method: record.call.method,
            url: record.call.url,
            body_sha256: record.call.bodySha256,
            body_bytes: record.call.bodyBytes,
            body_preview: record.call.bodyPreview,
            used_at: record.usedAt,
          },
  };
}

/** The approval as a webhook carries it (paths and scopes only, never a value). */
export function toWebhookApproval(view: ApprovalView): WebhookApproval {
  const { record } = view;
  return {
    id: record.id,
    status: record.status,
    tier: record.tier,
    scopes: record.scopes,
    path: record.path,
    tenant_id: record.tenantId,
    requested_by: record.requestedById,
    description: record.description,
    approvals: view.approvals.map((entry) => ({
      by: entry.by,
      at: entry.at,
      comment: entry.comment,
    })),
    required_approvals: record.requiredApprovals,
    eligible_at: record.eligibleAt,
    decided_at: record.decidedAt,
    expires_at: policyStateOf(view).expiresAt,
  };
}
