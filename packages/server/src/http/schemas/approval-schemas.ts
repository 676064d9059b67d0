import { TIERS } from "@agentsecretstore/protocol";
import { z } from "zod";
import type { ApprovalBody } from "../../vault/approval-view.js";
import type { SameShape } from "./same-shape.js";

export const APPROVAL_STATUSES = ["pending", "approved", "denied", "cancelled", "expired"] as const;

export const approvalResponse = z.object({
  id: z.string(),
  approval_request_id: z.string().describe("Same as id"),
  status: z
    .enum(APPROVAL_STATUSES)
    .describe(
      "As it stands now: a critical request reads pending during its delay and approved from eligible_at; a request past expires_at reads expired",
    ),
  tier: z.enum(TIERS),
  access_tier: z.enum(TIERS).describe("Same as tier"),
  scopes: z.array(z.string()),
  requested_scopes: z.array(z.string()).describe("Same as scopes"),
  path: z.string().nullable().describe("The secret path of an agent key's read request"),
  token_id: z.string().nullable().describe("The pending token this request gates"),
  requested_by: z.string(),
  requested_by_type: z.enum(["agent", "admin", "token"]),
  agent_id: z.string().describe("Same as requested_by"),
  description: z.string().nullable(),
  reason: z.string().nullable().describe("Same as description"),
  approvals: z.array(
    z.object({
      by: z.string().describe("The approving admin's id"),
      by_name: z.string().nullable().describe("The approving admin's name"),
      at: z.string(),
      comment: z.string().nullable(),
    }),
  ),
  required_approvals: z.number().int(),
  eligible_at: z
    .string()
    .nullable()
    .describe("When the last required approval takes effect (a critical request: after the delay)"),
  decided_at: z.string().nullable(),
  decided_by: z.string().nullable().describe("Who denied or cancelled the request"),
  decision_comment: z
    .string()
    .nullable()
    .describe("The comment given with a denial or cancellation"),
  expires_at: z
    .string()
    .describe("When a still-pending request expires (a token's request: with the token)"),
  grant_expires_at: z
    .string()
    .nullable()
    .describe("An approved agent read request: until when that agent may read the path"),
  created_at: z.string(),
  call: z
    .object({
      route: z.string(),
      method: z.string(),
      url: z.string().describe("/v1/broker/{route}/… with credential-shaped values masked"),
      body_sha256: z.string(),
      body_bytes: z.number().int(),
      body_preview: z.string().describe("The body's first characters, secrets masked"),
      used_at: z.string().nullable().describe("When the approved call went out (once)"),
    })
    .nullable()
    .describe("A per-call approval's brokered call; null for other requests"),
});

// The vault's answer and this schema describe one shape: a field added to one alone fails here.
const approvalShapesAgree: SameShape<z.infer<typeof approvalResponse>, ApprovalBody> = true;
void approvalShapesAgree;

export const approvalListQuery = z.strictObject({
  status: z
    .enum(APPROVAL_STATUSES)
    .nullish()
    .describe("Only requests with this status (as it stands now); every status when omitted"),
  limit: z.coerce.number().int().min(1).max(200).nullish().describe("default 50, max 200"),
  cursor: z.string().max(200).nullish().describe("next_cursor of the previous page"),
});

export const approvalListResponse = z.object({
  items: z.array(approvalResponse),
  next_cursor: z.string().nullable(),
});

export const approvalIdParams = z.strictObject({ id: z.string().min(1).max(128) });

export const approvalWaitQuery = z.strictObject({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(60)
    .nullish()
    .describe(
      "Long-poll: hold the request up to this many seconds while the status is pending; it answers as soon as a decision lands (or a critical delay ends)",
    ),
});

const comment = z.string().max(1000).nullish();

export const approvalDecisionBody = z
  .strictObject({
    comment: comment.describe("Shown in the request's history"),
    reason: comment.describe("Same as comment"),
  })
  .nullish();
