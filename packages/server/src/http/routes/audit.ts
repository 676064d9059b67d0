import { z } from "zod";
import { listAuditEvents, verifyAuditLog } from "../../vault/audit-log.js";
import type { AuditEventRecord } from "../../vault/records.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { validationError } from "../../vault/vault-error.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import type { VaultApp } from "../vault-app.js";

const TAGS = ["audit"];

const auditEvent = z.object({
  id: z.string(),
  seq: z.number().int(),
  at: z.string(),
  event: z.string(),
  actor_type: z.string(),
  actor_id: z.string().nullable(),
  token_id: z.string().nullable(),
  path: z.string().nullable(),
  version: z.number().int().nullable(),
  ip: z.string().nullable(),
  outcome: z.string(),
  request_id: z.string().nullable(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
  hash: z.string(),
  prev_hash: z.string(),
});

const auditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).nullish().describe("default 100, max 500"),
  cursor: z.string().max(32).nullish().describe("next_cursor of the previous page"),
  path: z.string().max(512).nullish(),
  event: z.string().max(64).nullish().describe("e.g. secret.read, token.issued, auth.failed"),
  actor: z.string().max(128).nullish().describe("actor_id"),
});

const verification = z.union([
  z.object({
    ok: z.literal(true),
    count: z.number().int(),
    last_hash: z.string(),
    head_hash: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    count: z.number().int(),
    broken_at: z.string(),
    reason: z.string(),
  }),
]);

function toAuditBody(event: AuditEventRecord): z.infer<typeof auditEvent> {
  return {
    id: event.id,
    seq: event.seq,
    at: event.at,
    event: event.event,
    actor_type: event.actorType,
    actor_id: event.actorId,
    token_id: event.tokenId,
    path: event.path,
    version: event.version,
    ip: event.ip,
    outcome: event.outcome,
    request_id: event.requestId,
    detail: event.detail,
    hash: event.hash,
    prev_hash: event.prevHash,
  };
}

function readCursor(cursor: string | null | undefined): number | null {
  if (cursor == null) return null;
  if (!/^[1-9]\d{0,14}$/.test(cursor)) {
    throw validationError([{ field: "cursor", message: "is not a cursor this server gave out" }]);
  }
  return Number(cursor);
}

/** The append-only audit log and its hash-chain check (admin keys only). */
export function registerAuditRoutes(app: VaultApp, context: VaultContext): void {
  app.get(
    "/v1/audit",
    {
      schema: {
        summary: "Audit events of the caller's tenant, in chain order, filtered (admin)",
        description:
          "Never holds a secret value or a credential. Denials and failed authentications are recorded too.",
        tags: TAGS,
        querystring: auditQuery,
        response: {
          200: z.object({ items: z.array(auditEvent), next_cursor: z.string().nullable() }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request) => {
      const page = await listAuditEvents(context, actorOf(request), {
        afterSeq: readCursor(request.query.cursor),
        limit: request.query.limit ?? 100,
        ...(request.query.path == null ? {} : { path: request.query.path }),
        ...(request.query.event == null ? {} : { event: request.query.event }),
        ...(request.query.actor == null ? {} : { actor: request.query.actor }),
      });
      return {
        items: page.items.map(toAuditBody),
        next_cursor: page.nextSeq === null ? null : String(page.nextSeq),
      };
    },
  );

  app.get(
    "/v1/audit/verify",
    {
      schema: {
        summary: "Check the tenant's audit hash chain end to end (admin)",
        description:
          "200 either way: ok true with the count and head hash, or ok false with the first broken event and why.",
        tags: TAGS,
        response: { 200: verification, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request) => verifyAuditLog(context, actorOf(request)),
  );
}
