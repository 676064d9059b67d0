import { z } from "zod";

/**
 * Every `status` a vault tool answers with. Success: `ok` (listed, described, or a revealed
 * value), `stored`, `rotated`, `completed` (an API call went out and answered), `approved`.
 * A person must act: `pending_approval` (with `approvalRequestId` and `personAction`), or
 * `pending` from `check_approval_status`. Refusals and problems the model can act on:
 * `not_found`, `denied`, `rate_limited`, `invalid_request`, `conflict`, `not_allowed` (a
 * destination the developer did not allow), `request_failed` (the API did not answer),
 * `declined` (`get_secret` without `revealValues`), and `cancelled` / `expired` approvals.
 */
export type VaultToolStatus =
  | "ok"
  | "stored"
  | "rotated"
  | "completed"
  | "approved"
  | "pending_approval"
  | "pending"
  | "not_found"
  | "denied"
  | "rate_limited"
  | "invalid_request"
  | "conflict"
  | "not_allowed"
  | "request_failed"
  | "declined"
  | "cancelled"
  | "expired";

/**
 * A vault tool's answer, as plain data the model can read (JSON-serialisable): a `status`, a
 * short `message` that says what to do next, and the details of that status. It never holds
 * a secret value or a credential, except the `value` of `get_secret` when the developer turned
 * `revealValues` on. Each tool's `outputSchema` describes its fields exactly.
 */
export type VaultToolOutcome = {
  readonly status: VaultToolStatus;
  readonly message: string;
} & { readonly [field: string]: unknown };

/** A `pending_approval` outcome: access waits on a person. */
export type PendingApprovalOutcome = {
  readonly status: "pending_approval";
  /** The approval request to approve (null only when the vault gave no id). */
  readonly approvalRequestId: string | null;
  readonly path?: string;
  readonly scope?: string;
  /** What a person must do, for the user or an operator (not for the model). */
  readonly personAction: string;
  readonly message: string;
};

const ERROR_STATUSES: ReadonlySet<string> = new Set<VaultToolStatus>([
  "pending_approval",
  "not_found",
  "denied",
  "rate_limited",
  "invalid_request",
  "conflict",
  "not_allowed",
  "request_failed",
  "declined",
]);

/**
 * Whether an outcome reports that the tool could not do what it was asked (for protocols that
 * flag tool errors, such as MCP's `isError`). Decisions that `check_approval_status` reports
 * (`pending`, `cancelled`, `expired`, and `denied` there too) are answers, not errors, except
 * `denied`, which is an error wherever it comes from.
 */
export function isErrorOutcome(outcome: VaultToolOutcome): boolean {
  return ERROR_STATUSES.has(outcome.status);
}

/** Whether an outcome is a `pending_approval`, narrowing its type. */
export function isPendingApproval(
  outcome: VaultToolOutcome,
): outcome is VaultToolOutcome & PendingApprovalOutcome {
  return outcome.status === "pending_approval";
}

/** The fields a refusal or a pending approval can carry, in every tool's output schema. */
const failureFields = {
  path: z.string().optional().describe("The secret path the answer is about."),
  scope: z.string().optional().describe("The scope the answer is about."),
  approvalRequestId: z
    .string()
    .nullable()
    .optional()
    .describe("pending_approval: the approval request a person must decide."),
  personAction: z
    .string()
    .optional()
    .describe("pending_approval: what a person must do before the access works."),
  reason: z.string().optional().describe("denied: the vault's reason code."),
  requiredScope: z.string().optional().describe("denied: the scope that would allow it."),
  retryAfterSeconds: z
    .number()
    .nullable()
    .optional()
    .describe("rate_limited: seconds to wait before trying again."),
  issues: z
    .array(z.object({ field: z.string(), message: z.string() }).loose())
    .optional()
    .describe("invalid_request: what is wrong with which argument."),
  currentVersion: z
    .number()
    .nullable()
    .optional()
    .describe("conflict: the secret's current version."),
};

/**
 * The output schema of a tool: `status` (one of `statuses`), `message`, the failure fields,
 * and the tool's own fields.
 */
export function outcomeSchema<Shape extends z.ZodRawShape>(
  statuses: readonly [VaultToolStatus, ...VaultToolStatus[]],
  shape: Shape,
) {
  return z
    .object({
      status: z.enum(statuses).describe("What happened; decides what to do next."),
      message: z.string().describe("What happened and what to do next, in one or two sentences."),
      ...failureFields,
      ...shape,
    })
    .loose();
}
