import { z } from "zod";
import {
  listAuditEvents,
  listAuditPage,
  takeAuditCheckpoint,
  verifyAuditLog,
} from "../../vault/audit-log.js";
import type { AuditEventRecord } from "../../vault/records.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { validationError } from "../../vault/vault-error.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import type { VaultApp } from "../vault-app.js";

const TAGS = ["audit"];

const detailRecord = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

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
  detail: detailRecord.nullable(),
  hash: z.string(),
  prev_hash: z.string(),
  // The hosted product's names for the same facts.
  event_type: z.string().describe("Same as event"),
  created_at: z.string().describe("Same as at"),
  ip_address: z.string().nullable().describe("Same as ip"),
  metadata: detailRecord.nullable().describe("Same as detail"),
  resource_type: z.string().describe("The event's first part: secret, token, approval, agent, …"),
  resource_id: z.string().nullable().describe("The secret's path, or a token event's token_id"),
});

const auditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).nullish().describe("default 100, max 500"),
  cursor: z.string().max(32).nullish().describe("next_cursor of the previous page"),
  path: z.string().max(512).nullish(),
  event: z.string().max(64).nullish().describe("e.g. secret.read, token.issued, auth.failed"),
  actor: z.string().max(128).nullish().describe("actor_id"),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .nullish()
    .describe(
      "The hosted product's paging: page N (from 1) of limit events, newest first, with total; not with cursor",
    ),
});

const auditPage = z.object({
  items: z.array(auditEvent),
  events: z.array(auditEvent).describe("Same as items"),
  next_cursor: z.string().nullable().describe("Chain-order paging only; null with page"),
  total: z.number().int().optional().describe("With page: how many events match"),
  page: z.number().int().optional(),
  limit: z.number().int().optional(),
});

const verification = z.union([
  z.object({
    ok: z.literal(true),
    count: z.number().int(),
    last_hash: z.string(),
    head_hash: z.string(),
    checkpoints: z.number().int().describe("How many checkpoints were checked"),
  }),
  z.object({
    ok: z.literal(false),
    count: z.number().int(),
    broken_at: z.string(),
    reason: z.string(),
    checkpoints: z.number().int().describe("How many checkpoints held before it broke"),
  }),
]);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits");

const checkpoint = z.strictObject({
  tenant: z.string().min(1).max(64),
  seq: z.number().int().min(0).describe("How many events the chain held"),
  head_hash: hex64.describe("The hash of event seq (64 zeros for an empty chain)"),
  at: z.string().min(1).max(40).describe("When the checkpoint was taken"),
  signature: hex64.describe("The vault's HMAC-SHA-256 of the other fields"),
});

const verifyBody = z.strictObject({
  checkpoints: z
    .array(checkpoint)
    .max(1000)
    .describe("Checkpoints from GET /v1/audit/checkpoint, as they were returned"),
});

function toAuditBody(event: AuditEventRecord): z.infer<typeof auditEvent> {
  const resourceType = event.event.split(".")[0] ?? event.event;
  return {
    event_type: event.event,
    created_at: event.at,
    ip_address: event.ip,
    metadata: event.detail,
    resource_type: resourceType,
    resource_id: resourceType === "token" ? event.tokenId : event.path,
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
          "Never holds a secret value or a credential. Denials and failed authentications are recorded too. With page (the hosted product's paging) the events come newest first, with total.",
        tags: TAGS,
        querystring: auditQuery,
        response: { 200: auditPage, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request): Promise<z.infer<typeof auditPage>> => {
      const { query } = request;
      const limit = query.limit ?? 100;
      const filter = {
        limit,
        ...(query.path == null ? {} : { path: query.path }),
        ...(query.event == null ? {} : { event: query.event }),
        ...(query.actor == null ? {} : { actor: query.actor }),
      };
      if (query.page != null) {
        if (query.cursor != null) {
          throw validationError([{ field: "page", message: "give page or cursor, not both" }]);
        }
        const numbered = await listAuditPage(context, actorOf(request), {
          ...filter,
          page: query.page,
        });
        const items = numbered.items.map(toAuditBody);
        return {
          items,
          events: items,
          next_cursor: null,
          total: numbered.total,
          page: query.page,
          limit,
        };
      }
      const page = await listAuditEvents(context, actorOf(request), {
        ...filter,
        afterSeq: readCursor(query.cursor),
      });
      const items = page.items.map(toAuditBody);
      return {
        items,
        events: items,
        next_cursor: page.nextSeq === null ? null : String(page.nextSeq),
      };
    },
  );

  const verifyDescription =
    "200 either way: ok true with the count and head hash, or ok false with the first broken event (or `seq N`) and why. Hashes are keyed with the vault's master key, so a chain re-hashed without it is reported broken.";
  app.get(
    "/v1/audit/verify",
    {
      schema: {
        summary: "Check the tenant's audit hash chain end to end (admin)",
        description: verifyDescription,
        tags: TAGS,
        response: { 200: verification, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request) => verifyAuditLog(context, actorOf(request)),
  );

  app.post(
    "/v1/audit/verify",
    {
      schema: {
        summary: "Check the audit hash chain and that it still holds the given checkpoints (admin)",
        description: `${verifyDescription} A chain that no longer holds a checkpoint's (seq, head_hash) is broken at \`seq N\`: events were removed from the end. A checkpoint with a signature that is not the vault's, or of another tenant, is refused with 400.`,
        tags: TAGS,
        body: verifyBody,
        response: { 200: verification, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request) => verifyAuditLog(context, actorOf(request), request.body.checkpoints),
  );

  app.get(
    "/v1/audit/checkpoint",
    {
      schema: {
        summary: "A signed checkpoint of the tenant's audit chain head (admin)",
        description:
          "Keep it outside the vault (ass audit checkpoint --out file); POST /v1/audit/verify with it later reports a chain that no longer holds that head. Only this vault (its master key) can sign or check one.",
        tags: TAGS,
        response: { 200: checkpoint, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request) => takeAuditCheckpoint(context, actorOf(request)),
  );
}
