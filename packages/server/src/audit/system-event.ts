import { generateId } from "../crypto/credentials.js";
import type { AuditEventContent } from "./hash-chain.js";

/**
 * An audit event the server records by itself (first start, offline recovery, re-keying the
 * chain): no principal, no address, no request; what happened is in `event` and `detail`.
 */
export function systemAuditEvent(fields: {
  tenantId: string;
  at: string;
  event: string;
  detail: NonNullable<AuditEventContent["detail"]>;
}): AuditEventContent {
  return {
    id: generateId("evt_"),
    at: fields.at,
    tenantId: fields.tenantId,
    event: fields.event,
    actorType: "system",
    actorId: null,
    tokenId: null,
    path: null,
    version: null,
    ip: null,
    outcome: "success",
    requestId: null,
    detail: fields.detail,
  };
}
