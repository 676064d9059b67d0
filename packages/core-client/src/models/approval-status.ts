/**
 * State of an approval request, and of a scoped token's approval
 * (a token is only ever `approved`, `pending` or `denied`).
 *
 * Both a type and a value: `ApprovalStatus.PENDING === "pending"`.
 */
export const ApprovalStatus = Object.freeze({
  PENDING: "pending",
  APPROVED: "approved",
  DENIED: "denied",
  CANCELLED: "cancelled",
  EXPIRED: "expired",
} as const);

/** One of `"pending" | "approved" | "denied" | "cancelled" | "expired"`. */
export type ApprovalStatus = (typeof ApprovalStatus)[keyof typeof ApprovalStatus];
