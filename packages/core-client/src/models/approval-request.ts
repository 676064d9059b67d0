import type { ApprovalStatus } from "./approval-status.js";
import type { SecretTier } from "./secret-tier.js";

/** One person's approval of an {@link ApprovalRequest}. */
export interface Approval {
  /** Who approved (an admin's name or id). */
  readonly by: string;
  /** When. */
  readonly at: Date | null;
  /** Their comment, or `null`. */
  readonly comment: string | null;
}

/** A request for a person to approve access to a sensitive or critical secret. */
export interface ApprovalRequest {
  readonly id: string;
  readonly status: ApprovalStatus;
  /** The tier that made approval necessary. */
  readonly tier: SecretTier | null;
  /** The scopes the approval would grant. */
  readonly scopes: readonly string[];
  /** Who asked (agent or token id). */
  readonly requestedBy: string | null;
  readonly description: string | null;
  /** Approvals given so far. */
  readonly approvals: readonly Approval[];
  /** How many approvals the tier needs (1 for sensitive, 2 for critical). */
  readonly requiredApprovals: number;
  /** For critical secrets: when the approved request takes effect (after the delay). */
  readonly eligibleAt: Date | null;
  /** When it stopped being pending, or `null` while pending. */
  readonly decidedAt: Date | null;
  /** The secret path an agent's read request is for; `null` for a token's request (see `scopes`). */
  readonly path: string | null;
  /** When it was asked for, when the server says. */
  readonly createdAt: Date | null;
  /** When a still-pending request stops being decidable, when the server says. */
  readonly expiresAt: Date | null;
}
