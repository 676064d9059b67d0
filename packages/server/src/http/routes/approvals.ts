import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { ApprovalRecord } from "../../store/approvals-store.js";
import { notFound } from "../api-error.js";
import { authenticate } from "../authenticate.js";
import { type Principal, principalOf } from "../principal.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import { TIERS } from "../schemas/secret-schemas.js";
import type { VaultApp } from "../vault-app.js";
import type { VaultContext } from "../vault-context.js";

/** How often a long-poll looks again, in milliseconds. */
const POLL_INTERVAL_MS = 500;

const approvalResponse = z.object({
  id: z.string(),
  approval_request_id: z.string().describe("Same as id"),
  status: z.enum(["pending", "approved", "denied", "cancelled", "expired"]),
  tier: z.enum(TIERS),
  scopes: z.array(z.string()),
  path: z.string().nullable().describe("The secret path of an agent key's read request"),
  token_id: z.string().nullable().describe("The pending token this request gates"),
  requested_by: z.string(),
  requested_by_type: z.enum(["agent", "admin", "token"]),
  description: z.string().nullable(),
  approvals: z.array(z.object({ by: z.string(), at: z.string(), comment: z.string().nullable() })),
  required_approvals: z.number().int(),
  eligible_at: z.string().nullable(),
  decided_at: z.string().nullable(),
  created_at: z.string(),
});

function mayView(principal: Principal, approval: ApprovalRecord): boolean {
  if (principal.kind === "admin") return true;
  if (approval.requestedById === principal.id) return true;
  return principal.kind === "token" && approval.tokenId === principal.id;
}

/** `GET /v1/approvals/{id}` (approve/deny/cancel and long-polling come with issue #4). */
export function registerApprovalRoutes(app: VaultApp, context: VaultContext): void {
  app.get(
    "/v1/approvals/:id",
    {
      onRequest: authenticate(context),
      schema: {
        summary: "An approval request (its requester, its pending token, or an admin)",
        description: "Consumes no token use, so a pending token may poll its own request.",
        tags: ["approvals"],
        params: z.strictObject({ id: z.string().min(1).max(128) }),
        querystring: z.strictObject({
          wait: z.coerce
            .number()
            .int()
            .min(0)
            .max(60)
            .nullish()
            .describe("Long-poll: wait up to this many seconds for the status to leave pending"),
        }),
        response: { 200: approvalResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      let approval = await context.data.approvals.findById(principal.tenantId, request.params.id);
      if (approval === undefined || !mayView(principal, approval)) {
        throw notFound(`No approval request ${request.params.id} visible to this credential`);
      }
      const deadline = Date.now() + (request.query.wait ?? 0) * 1000;
      while (approval.status === "pending" && Date.now() < deadline && !context.closing.aborted) {
        await sleep(POLL_INTERVAL_MS, undefined, { signal: context.closing }).catch(() => {});
        approval =
          (await context.data.approvals.findById(principal.tenantId, approval.id)) ?? approval;
      }
      const approvals = await context.data.approvals.listDecisions(principal.tenantId, approval.id);
      return {
        id: approval.id,
        approval_request_id: approval.id,
        status: approval.status,
        tier: approval.tier,
        scopes: approval.scopes,
        path: approval.path,
        token_id: approval.tokenId,
        requested_by: approval.requestedById,
        requested_by_type: approval.requestedByType,
        description: approval.description,
        approvals,
        required_approvals: approval.requiredApprovals,
        eligible_at: approval.eligibleAt,
        decided_at: approval.decidedAt,
        created_at: approval.createdAt,
      };
    },
  );
}
