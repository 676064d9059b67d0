/** Where an approval request stands. `pending` is the only status that can still change. */
export const APPROVAL_STATUSES = ["pending", "approved", "denied", "cancelled", "expired"] as const;

/** One of {@link APPROVAL_STATUSES}. */
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * A token's `approval_status` on the wire: a token is usable (`approved`), waiting for people
 * (`pending`), or refused (`denied`). A cancelled or expired request leaves its token `denied`.
 */
export const TOKEN_APPROVAL_STATUSES = ["approved", "pending", "denied"] as const;

/** One of {@link TOKEN_APPROVAL_STATUSES}. */
export type TokenApprovalStatus = (typeof TOKEN_APPROVAL_STATUSES)[number];

/** Whether `value` is one of {@link APPROVAL_STATUSES}. */
export function isApprovalStatus(value: unknown): value is ApprovalStatus {
  return typeof value === "string" && (APPROVAL_STATUSES as readonly string[]).includes(value);
}
