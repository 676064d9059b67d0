import type { ApprovalView } from "../../vault/approval-view.js";
import { toApprovalBody } from "../../vault/approval-view.js";
import { decideApprovalRequest, listApprovals, viewApproval } from "../../vault/approvals.js";
import { budgetKeyOf } from "../../vault/principal.js";
import type { ApprovalRecord } from "../../vault/records.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { validationError } from "../../vault/vault-error.js";
import { waitForApprovalChange } from "../../vault/wait-for-approval.js";
import {
  LONG_POLL_RETRY_AFTER_SECONDS,
  type LongPollLimits,
  longPollRefused,
} from "../long-poll-limits.js";
import { actorOf } from "../request-actor.js";
import {
  approvalDecisionBody,
  approvalIdParams,
  approvalListQuery,
  approvalListResponse,
  approvalResponse,
  approvalWaitQuery,
} from "../schemas/approval-schemas.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import type { VaultApp } from "../vault-app.js";
import { readIdempotencyKey } from "../write-headers.js";

const TAGS = ["approvals"];
const DEFAULT_PAGE_SIZE = 50;

function encodeCursor(record: ApprovalRecord): string {
  return Buffer.from(JSON.stringify([record.createdAt, record.id])).toString("base64url");
}

function decodeCursor(cursor: string | null | undefined): { createdAt: string; id: string } | null {
  if (cursor == null) return null;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof createdAt === "string" && typeof id === "string") return { createdAt, id };
  } catch {
    // Falls through to the validation error.
  }
  throw validationError([{ field: "cursor", message: "is not a cursor this server gave out" }]);
}

/** A decision's `comment`, or the hosted product's `reason` for it; two different texts are a 400. */
function decisionComment(
  body:
    | { comment?: string | null | undefined; reason?: string | null | undefined }
    | null
    | undefined,
) {
  const comment = body?.comment ?? null;
  const reason = body?.reason ?? null;
  if (comment !== null && reason !== null && comment !== reason) {
    throw validationError([
      { field: "reason", message: "disagrees with comment; give one of them" },
    ]);
  }
  return comment ?? reason;
}

/** Human approval (docs/protocol.md, "Tiers and approvals"): list, read and long-poll, approve, deny, cancel. */
export function registerApprovalRoutes(
  app: VaultApp,
  context: VaultContext,
  longPolls: LongPollLimits,
): void {
  const body = (view: ApprovalView) =>
    toApprovalBody(view, context.now(), context.agentGrantSeconds);

  app.get(
    "/v1/approvals",
    {
      schema: {
        summary: "List the tenant's approval requests, oldest first (admin)",
        description:
          "Filter with status (pending, approved, denied, cancelled, expired) as it stands now: requests whose critical delay ended or that expired are settled before listing. Paginated with limit and next_cursor.",
        tags: TAGS,
        querystring: approvalListQuery,
        response: { 200: approvalListResponse, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request) => {
      const page = await listApprovals(context, actorOf(request), {
        ...(request.query.status == null ? {} : { status: request.query.status }),
        after: decodeCursor(request.query.cursor),
        limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
      });
      const last = page.items[page.items.length - 1];
      return {
        items: page.items.map(body),
        next_cursor: page.hasMore && last ? encodeCursor(last.record) : null,
      };
    },
  );

  app.get(
    "/v1/approvals/:id",
    {
      schema: {
        summary: "An approval request (its requester, its pending token, or an admin); long-poll",
        description:
          "With ?wait=N (at most 60) the answer waits while the status is pending and comes as soon as a decision lands, a critical delay ends, or N seconds pass. Consumes no token use, so a pending token may poll its own request. Waiting long-polls are capped per credential (its token families included) and per instance: over the cap, 429 (the credential's) or 503 (the instance's) RATE_LIMITED with Retry-After.",
        tags: TAGS,
        params: approvalIdParams,
        querystring: approvalWaitQuery,
        response: { 200: approvalResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 404, 503) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const view = await viewApproval(context, actor, request.params.id);
      const wait = request.query.wait ?? 0;
      if (wait <= 0 || view.record.status !== "pending") return body(view);
      const slot = longPolls.acquire(budgetKeyOf(actor.principal));
      if (typeof slot === "string") {
        reply.header("retry-after", String(LONG_POLL_RETRY_AFTER_SECONDS));
        throw longPollRefused(slot, longPolls);
      }
      // A client that hangs up mid-wait frees its waiter at once, not when `wait` runs out.
      const hangUp = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableEnded) hangUp.abort();
      };
      reply.raw.once("close", onClose);
      try {
        return body(await waitForApprovalChange(context, view, wait, hangUp.signal));
      } finally {
        reply.raw.off("close", onClose);
        slot.release();
      }
    },
  );

  app.get(
    "/v1/approvals/agent/:id",
    {
      schema: {
        summary: "An approval request, the hosted product's form (its requester or an admin)",
        description:
          "Same as GET /v1/approvals/{id} without wait: the path the hosted MCP server's get_approval_status calls with the agent key that asked.",
        tags: TAGS,
        params: approvalIdParams,
        response: { 200: approvalResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request) => body(await viewApproval(context, actorOf(request), request.params.id)),
  );

  const decisions = [
    {
      type: "approve",
      summary: "Approve a request (admin keys are the approvers)",
      description:
        "A sensitive request is approved by one admin. A critical one needs two different admins; after the second it stays pending until eligible_at (now + the critical delay, default 300 s), during which anyone may cancel, then reads approved. The requester never approves its own request; an admin requester counts as one approver (a critical admin read or admin action needs one other admin), and an admin created after the request cannot approve it. 409 CONFLICT with reason same_approver_twice, self_approval, approver_too_new, already_decided (waiting out its delay) or not_pending (with status). Idempotency-Key (every decision route): a retry with the same key and body gets the first answer again.",
    },
    {
      type: "deny",
      summary: "Deny a request (admin): its token then gets 403 APPROVAL_DENIED",
      description:
        "Allowed while pending, including during a critical delay. 409 CONFLICT with reason not_pending once decided.",
    },
    {
      type: "cancel",
      summary: "Cancel a request (an admin, or the requester)",
      description:
        "Allowed while pending, including during a critical delay. A cancelled token request leaves its token refused with 403 APPROVAL_DENIED. 409 CONFLICT with reason not_pending once decided.",
    },
  ] as const;

  for (const decision of decisions) {
    app.post(
      `/v1/approvals/:id/${decision.type}`,
      {
        schema: {
          summary: decision.summary,
          description: decision.description,
          tags: TAGS,
          params: approvalIdParams,
          body: approvalDecisionBody,
          response: { 200: approvalResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409) },
        },
      },
      async (request) =>
        decideApprovalRequest(context, actorOf(request), {
          type: decision.type,
          approvalId: request.params.id,
          comment: decisionComment(request.body),
          idempotencyKey: readIdempotencyKey(request),
        }),
    );
  }
}
