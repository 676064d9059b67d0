import type { ApprovalRejection, ApprovalStatus } from "../../approvals/approval-policy.js";
import type { ApprovalRecord } from "../../store/approvals-store.js";
import type { StoredResponse } from "../../store/idempotency-store.js";
import type { Origin } from "../../vault/actor.js";
import {
  type ApprovalAnnouncement,
  announceApprovals,
  applyApprovalAction,
  approvalViewOf,
  loadApprovalView,
  loadSettledApproval,
  type PersonAction,
  retryApprovalRaces,
} from "../../vault/approval-decisions.js";
import { type ApprovalView, toApprovalBody } from "../../vault/approval-view.js";
import { recordAudit } from "../../vault/audit-event.js";
import type { Principal } from "../../vault/principal.js";
import { requireAdmin } from "../../vault/require-admin.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { notFound, shownId, VaultError, validationError } from "../../vault/vault-error.js";
import { waitForApprovalChange } from "../../vault/wait-for-approval.js";
import { idempotentWrite } from "../../vault/write-secret.js";
import { originOf } from "../request-origin.js";
import { principalOf } from "../request-principal.js";
import {
  type ApprovalBody,
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
/** How many overdue requests one listing settles before it lists. */
const SETTLE_BATCH = 500;

const ACTION_EVENT: Record<PersonAction["type"], string> = {
  approve: "approval.granted",
  deny: "approval.denied",
  cancel: "approval.cancelled",
};

/** The requester (agent, admin or token that asked), the pending token itself, or an admin. */
function mayView(principal: Principal, approval: ApprovalRecord): boolean {
  if (principal.kind === "admin") return true;
  if (approval.requestedById === principal.id) return true;
  return principal.kind === "token" && approval.tokenId === principal.id;
}

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

/** Thrown inside the transaction when the policy refuses an action: nothing is committed. */
class DecisionRefused extends Error {
  constructor(
    readonly rejection: ApprovalRejection,
    readonly path: string | null,
  ) {
    super(rejection.message);
  }
}

/**
 * Applies a person's action in a transaction (a conditional write: of two racing decisions one
 * wins), announces it after commit, and answers with the request. With an `Idempotency-Key`, a
 * retry gets the first answer again instead of a refusal. A refusal by the policy (the same
 * approver twice, a request already decided…) is recorded and answered 409 CONFLICT with the
 * policy's `reason`.
 */
async function decide(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  approvalId: string,
  action: PersonAction,
  comment: string | null,
  idempotencyKey: string | undefined,
): Promise<ApprovalBody> {
  let announcements: ApprovalAnnouncement[] = [];
  let response: StoredResponse;
  try {
    response = await retryApprovalRaces(() =>
      idempotentWrite(
        context,
        principal,
        idempotencyKey,
        { method: "POST", action: action.type, approvalId, comment },
        async (stores) => {
          announcements = [];
          const view = await loadApprovalView(stores, principal.tenantId, approvalId);
          if (view === undefined || !mayView(principal, view.record)) {
            throw notFound(`No approval request ${shownId(approvalId)} visible to this credential`);
          }
          const result = await applyApprovalAction(
            stores,
            context,
            origin,
            principal,
            view,
            action,
            comment,
          );
          if (!result.ok) throw new DecisionRefused(result.rejection, view.record.path);
          announcements = result.announcements;
          const body = toApprovalBody(result.view, context.now(), context.agentGrantSeconds);
          return { statusCode: 200, body };
        },
      ),
    );
  } catch (error) {
    if (!(error instanceof DecisionRefused)) throw error;
    // Recorded after the rollback: the audit batcher needs the connection the transaction held.
    await recordAudit(context, origin, principal, principal.tenantId, {
      event: ACTION_EVENT[action.type],
      outcome: "denied",
      path: error.path,
      detail: { approval_id: approvalId, reason: error.rejection.reason },
    });
    throw refusal(error.rejection);
  }
  announceApprovals(context, announcements);
  return response.body as ApprovalBody;
}

function refusal(rejection: ApprovalRejection): VaultError {
  return new VaultError("CONFLICT", rejection.message, {
    reason: rejection.reason,
    ...(rejection.reason === "not_pending" ? { status: rejection.status } : {}),
    ...(rejection.reason === "already_decided"
      ? { eligible_at: rejection.eligibleAt.toISOString() }
      : {}),
  });
}

/** Human approval (docs/protocol.md, "Tiers and approvals"): list, read and long-poll, approve, deny, cancel. */
export function registerApprovalRoutes(app: VaultApp, context: VaultContext): void {
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
      const admin = await requireAdmin(context, originOf(request), principalOf(request));
      const now = context.now().toISOString();
      for (const id of await context.data.approvals.listDueIds(admin.tenantId, now, SETTLE_BATCH)) {
        await loadSettledApproval(context, admin.tenantId, id);
      }
      const limit = request.query.limit ?? DEFAULT_PAGE_SIZE;
      const status: ApprovalStatus | undefined = request.query.status ?? undefined;
      const records = await context.data.approvals.list({
        tenantId: admin.tenantId,
        ...(status === undefined ? {} : { status }),
        after: decodeCursor(request.query.cursor),
        limit: limit + 1,
      });
      const page = records.slice(0, limit);
      const items: ApprovalView[] = [];
      for (const record of page) {
        items.push(
          approvalViewOf(
            record,
            await context.data.approvals.listDecisions(admin.tenantId, record.id),
          ),
        );
      }
      const last = page[page.length - 1];
      return {
        items: items.map(body),
        next_cursor: records.length > limit && last ? encodeCursor(last) : null,
      };
    },
  );

  app.get(
    "/v1/approvals/:id",
    {
      schema: {
        summary: "An approval request (its requester, its pending token, or an admin); long-poll",
        description:
          "With ?wait=N (at most 60) the answer waits while the status is pending and comes as soon as a decision lands, a critical delay ends, or N seconds pass. Consumes no token use, so a pending token may poll its own request.",
        tags: TAGS,
        params: approvalIdParams,
        querystring: approvalWaitQuery,
        response: { 200: approvalResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const view = await loadSettledApproval(context, principal.tenantId, request.params.id);
      if (view === undefined || !mayView(principal, view.record)) {
        throw notFound(
          `No approval request ${shownId(request.params.id)} visible to this credential`,
        );
      }
      // A client that hangs up mid-wait frees its waiter at once, not when `wait` runs out.
      const hangUp = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableEnded) hangUp.abort();
      };
      reply.raw.once("close", onClose);
      try {
        return body(
          await waitForApprovalChange(context, view, request.query.wait ?? 0, hangUp.signal),
        );
      } finally {
        reply.raw.off("close", onClose);
      }
    },
  );

  const decisions = [
    {
      type: "approve",
      summary: "Approve a request (admin keys are the approvers)",
      description:
        "A sensitive request is approved by one admin. A critical one needs two different admins; after the second it stays pending until eligible_at (now + the critical delay, default 300 s), during which anyone may cancel, then reads approved. The requester never approves its own request. 409 CONFLICT with reason same_approver_twice, self_approval, already_decided (waiting out its delay) or not_pending (with status). Idempotency-Key (every decision route): a retry with the same key and body gets the first answer again.",
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
      async (request) => {
        let principal = principalOf(request);
        if (decision.type !== "cancel") {
          principal = await requireAdmin(context, originOf(request), principal);
        }
        const comment = request.body?.comment ?? null;
        const action: PersonAction =
          decision.type === "approve"
            ? { type: "approve", by: principal.id, comment }
            : { type: decision.type, by: principal.id };
        return decide(
          context,
          originOf(request),
          principal,
          request.params.id,
          action,
          comment,
          readIdempotencyKey(request),
        );
      },
    );
  }
}
