import type { Admin } from "../models/admin.js";
import type { Agent } from "../models/agent.js";
import type { ApprovalRequest } from "../models/approval-request.js";
import type { AuditCheckpoint } from "../models/audit-checkpoint.js";
import type { AuditEvent } from "../models/audit-event.js";
import type { AuditPage } from "../models/audit-page.js";
import type { AuditVerification } from "../models/audit-verification.js";
import { CreatedAdmin } from "../models/created-admin.js";
import { CreatedAgent } from "../models/created-agent.js";
import { CreatedTenant } from "../models/created-tenant.js";
import { RotatedKey } from "../models/rotated-key.js";
import {
  asWireObject,
  dateOrNull,
  numberOrNull,
  pick,
  requireBoolean,
  requireDate,
  requireNumber,
  requireString,
  stringArray,
  stringOrNull,
  unexpectedShape,
  type WireObject,
} from "./wire-fields.js";
import { toApprovalRequest } from "./wire-mappers.js";

// Where the admin API's wire shapes become models (the agent-facing ones are in
// wire-mappers.ts). Lenient on input: lists come as a bare array or wrapped in an object,
// and camelCase names are understood next to docs/protocol.md's snake_case ones.

/**
 * `GET /v1/approvals` → one page of {@link ApprovalRequest}s: an array, `{ items }` or
 * `{ approvals }`, with `next_cursor` when more pages follow.
 */
export function toApprovalPage(body: unknown): {
  items: ApprovalRequest[];
  nextCursor: string | null;
} {
  const wire = Array.isArray(body) ? {} : asWireObject(body, "an approval list");
  return {
    items: listOf(body, "an approval list", "items", "approvals").map(toApprovalRequest),
    nextCursor: stringOrNull(pick(wire, "next_cursor", "nextCursor")),
  };
}

/** `GET /v1/audit` → {@link AuditPage}. */
export function toAuditPage(body: unknown): AuditPage {
  const wire = Array.isArray(body) ? {} : asWireObject(body, "an audit page");
  return {
    items: listOf(body, "an audit page", "items", "events").map(toAuditEvent),
    nextCursor: stringOrNull(pick(wire, "next_cursor", "nextCursor")),
  };
}

/** One audit log entry → {@link AuditEvent}. */
export function toAuditEvent(item: unknown): AuditEvent {
  const wire = asWireObject(item, "an audit event");
  return {
    id: requireString(wire, "audit event", "id"),
    seq: numberOrNull(pick(wire, "seq")),
    at: requireDate(wire, "audit event", "at"),
    event: requireString(wire, "audit event", "event"),
    actorType: stringOrNull(pick(wire, "actor_type", "actorType")) ?? "",
    actorId: stringOrNull(pick(wire, "actor_id", "actorId")),
    tokenId: stringOrNull(pick(wire, "token_id", "tokenId")),
    path: stringOrNull(pick(wire, "path")),
    version: numberOrNull(pick(wire, "version")),
    ip: stringOrNull(pick(wire, "ip")),
    outcome: stringOrNull(pick(wire, "outcome")) ?? "",
    requestId: stringOrNull(pick(wire, "request_id", "requestId")),
    detail: scalarMap(pick(wire, "detail")),
    hash: stringOrNull(pick(wire, "hash")) ?? "",
    prevHash: stringOrNull(pick(wire, "prev_hash", "prevHash")) ?? "",
  };
}

/** `GET /v1/audit/verify` → {@link AuditVerification}. */
export function toAuditVerification(body: unknown): AuditVerification {
  const wire = asWireObject(body, "an audit verification");
  const reason = stringOrNull(pick(wire, "reason"));
  const verification = {
    ok: requireBoolean(wire, "audit verification", "ok"),
    count: numberOrNull(pick(wire, "count")) ?? 0,
    brokenAt: stringOrNull(pick(wire, "broken_at", "brokenAt")),
  };
  const checkpoints = numberOrNull(pick(wire, "checkpoints"));
  return {
    ...verification,
    ...(reason === null ? {} : { reason }),
    ...(checkpoints === null ? {} : { checkpoints }),
  };
}

/** `GET /v1/audit/checkpoint` → {@link AuditCheckpoint}, its fields as the server sent them. */
export function toAuditCheckpoint(body: unknown): AuditCheckpoint {
  const wire = asWireObject(body, "an audit checkpoint");
  return {
    tenant: requireString(wire, "audit checkpoint", "tenant"),
    seq: requireNumber(wire, "audit checkpoint", "seq"),
    head_hash: requireString(wire, "audit checkpoint", "head_hash"),
    at: requireString(wire, "audit checkpoint", "at"),
    signature: requireString(wire, "audit checkpoint", "signature"),
  };
}

/** `GET /v1/agents` → {@link Agent}[]. */
export function toAgentList(body: unknown): Agent[] {
  return listOf(body, "an agent list", "items", "agents").map((item) =>
    agentFields(asWireObject(item, "an agent")),
  );
}

/** `POST /v1/agents` → {@link CreatedAgent} (its key redacts itself). */
export function toCreatedAgent(body: unknown): CreatedAgent {
  const wire = asWireObject(body, "a created agent");
  return new CreatedAgent({
    ...agentFields(wire),
    apiKey: requireString(wire, "agent", "api_key", "apiKey", "agent_key"),
  });
}

/** `GET /v1/admins` → {@link Admin}[]. */
export function toAdminList(body: unknown): Admin[] {
  return listOf(body, "an admin list", "items", "admins").map((item) =>
    adminFields(asWireObject(item, "an admin")),
  );
}

/** `POST /v1/admins` → {@link CreatedAdmin} (its key redacts itself). */
export function toCreatedAdmin(body: unknown): CreatedAdmin {
  const wire = asWireObject(body, "a created admin");
  return new CreatedAdmin({
    ...adminFields(wire),
    apiKey: requireString(wire, "admin", "api_key", "apiKey", "admin_key"),
  });
}

/** `POST /v1/agents|admins/{id}/rotate-key` → {@link RotatedKey} (its key redacts itself). */
export function toRotatedKey(body: unknown): RotatedKey {
  const wire = asWireObject(body, "a rotated key");
  return new RotatedKey({
    id: requireString(wire, "rotated key", "id", "agent_id", "admin_id"),
    revokedTokens: numberOrNull(pick(wire, "revoked_tokens", "revokedTokens")) ?? 0,
    apiKey: requireString(wire, "rotated key", "api_key", "apiKey"),
  });
}

/** `POST /v1/tenants` → {@link CreatedTenant} (its admin key redacts itself). */
export function toCreatedTenant(body: unknown): CreatedTenant {
  const wire = asWireObject(body, "a created tenant");
  return new CreatedTenant({
    tenantId: requireString(wire, "tenant", "tenant_id", "tenantId", "id"),
    name: stringOrNull(pick(wire, "name")) ?? "",
    adminId: stringOrNull(pick(wire, "admin_id", "adminId")),
    createdAt: dateOrNull(pick(wire, "created_at", "createdAt")),
    adminKey: requireString(wire, "tenant", "admin_key", "adminKey", "api_key"),
  });
}

function agentFields(wire: WireObject): Agent {
  return {
    agentId: requireString(wire, "agent", "agent_id", "agentId", "id"),
    name: stringOrNull(pick(wire, "name")) ?? "",
    description: stringOrNull(pick(wire, "description")),
    allowedScopes: stringArray(pick(wire, "allowed_scopes", "allowedScopes", "scopes")),
    createdAt: dateOrNull(pick(wire, "created_at", "createdAt")),
  };
}

function adminFields(wire: WireObject): Admin {
  return {
    adminId: requireString(wire, "admin", "admin_id", "adminId", "id"),
    name: stringOrNull(pick(wire, "name")) ?? "",
    isOperator: pick(wire, "is_operator", "isOperator") === true,
    createdAt: dateOrNull(pick(wire, "created_at", "createdAt")),
  };
}

/** The items of a list response: the body itself when it is an array, else its first array field of `names`. */
function listOf(body: unknown, what: string, ...names: string[]): unknown[] {
  if (Array.isArray(body)) return body;
  const items = pick(asWireObject(body, what), ...names);
  if (Array.isArray(items)) return items;
  throw unexpectedShape(what);
}

function scalarMap(value: unknown): Record<string, string | number | boolean | null> {
  const result: Record<string, string | number | boolean | null> = {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) return result;
  for (const [key, item] of Object.entries(value)) {
    if (item === null || ["string", "number", "boolean"].includes(typeof item)) {
      result[key] = item as string | number | boolean | null;
    }
  }
  return result;
}
