import type { ApprovalStatus as WireApprovalStatus } from "@agentsecretstore/protocol";

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
} as const satisfies { readonly [S in WireApprovalStatus as Uppercase<S>]: S });

/** One of `"pending" | "approved" | "denied" | "cancelled" | "expired"`. */
export type ApprovalStatus = WireApprovalStatus;
