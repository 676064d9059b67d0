import type { ApprovalStatus, ApprovalTier } from "./approval-policy.js";

/** What happened to an approval request (the audit log's `approval.*` events). */
export type WebhookEventType =
  | "approval.requested"
  | "approval.granted"
  | "approval.denied"
  | "approval.cancelled"
  | "approval.expired";

/** A time in a webhook body: a `Date` or an ISO-8601 string; sent as ISO-8601 UTC. */
export type WebhookTime = Date | string;

/**
 * The approval request a webhook is about, in the wire shape of `GET /v1/approvals/{id}`. It
 * names secrets by path and scope only: no field can hold a secret value or a credential, and
 * fields not listed here are left out of the body even if present at run time.
 */
export type WebhookApproval = {
  id: string;
  status: ApprovalStatus;
  tier: ApprovalTier;
  scopes: readonly string[];
  /** The secret path of an agent's read request; `null` for a token request. */
  path?: string | null;
  /** The tenant the request belongs to. */
  tenant_id?: string | null;
  /** The requester's id (agent, admin or token). */
  requested_by: string;
  description?: string | null;
  approvals: readonly { by: string; at: WebhookTime; comment?: string | null }[];
  required_approvals: number;
  eligible_at?: WebhookTime | null;
  decided_at?: WebhookTime | null;
  expires_at?: WebhookTime | null;
};

/** One notification. */
export type WebhookEvent = { type: WebhookEventType; approval: WebhookApproval };

/** The JSON body of a delivery. */
export type WebhookBody = {
  /** The delivery id, also sent as `x-ass-delivery`; the same across retries. */
  id: string;
  type: WebhookEventType;
  /** When the event was queued (ISO-8601 UTC). */
  created_at: string;
  approval: Record<string, unknown>;
};

const EVENT_TYPES: ReadonlySet<string> = new Set<WebhookEventType>([
  "approval.requested",
  "approval.granted",
  "approval.denied",
  "approval.cancelled",
  "approval.expired",
]);

/**
 * The body of a delivery: the event's approval reduced to the listed fields, times as ISO-8601.
 *
 * @throws {TypeError} for an unknown event type or an approval that is not an object.
 */
export function webhookBody(event: WebhookEvent, deliveryId: string, createdAt: Date): WebhookBody {
  if (!EVENT_TYPES.has(event.type)) throw new TypeError("unknown webhook event type");
  const approval = event.approval;
  if (typeof approval !== "object" || approval === null) {
    throw new TypeError("a webhook event needs its approval");
  }
  return {
    id: deliveryId,
    type: event.type,
    created_at: createdAt.toISOString(),
    approval: {
      id: approval.id,
      status: approval.status,
      tier: approval.tier,
      scopes: [...approval.scopes],
      path: approval.path ?? null,
      tenant_id: approval.tenant_id ?? null,
      requested_by: approval.requested_by,
      description: approval.description ?? null,
      approvals: approval.approvals.map((entry) => ({
        by: entry.by,
        at: isoTime(entry.at),
        comment: entry.comment ?? null,
      })),
      required_approvals: approval.required_approvals,
      eligible_at: isoTime(approval.eligible_at),
      decided_at: isoTime(approval.decided_at),
      expires_at: isoTime(approval.expires_at),
    },
  };
}

function isoTime(time: WebhookTime | null | undefined): string | null {
  if (time === null || time === undefined) return null;
  return time instanceof Date ? time.toISOString() : String(time);
}
