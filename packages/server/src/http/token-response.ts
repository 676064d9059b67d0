import type { z } from "zod";
import type { TokenRecord } from "../vault/records.js";
import type { tokenResponse, tokenSelfResponse } from "./schemas/token-schemas.js";

type TokenSelfBody = z.infer<typeof tokenSelfResponse>;

/** A token record in docs/protocol.md's shape, both generations' names included; never the value. */
export function toTokenSelfBody(token: TokenRecord): TokenSelfBody {
  const approvalId = token.approvalStatus === "approved" ? null : token.approvalRequestId;
  return {
    token_id: token.id,
    scope: token.scopes[0] ?? "",
    scopes: token.scopes,
    ttl_seconds: token.ttlSeconds,
    ttl: `${token.ttlSeconds}s`,
    expires_at: token.expiresAt,
    description: token.description,
    allowed_ips: token.allowedIps,
    ip_allowlist: token.allowedIps,
    max_uses: token.maxUses,
    uses_remaining: token.maxUses === null ? null : Math.max(0, token.maxUses - token.uses),
    approval_status: token.approvalStatus,
    approval_request_id: approvalId,
    approval_id: approvalId,
    requires_approval: token.approvalStatus !== "approved",
    parent_token_id: token.parentTokenId,
    created_at: token.createdAt,
    uses: token.uses,
    revoked_at: token.revokedAt,
    issuer_type: token.issuerType,
  };
}

/** The issue response: the record plus the value, shown this once. */
export function toTokenBody(token: TokenRecord, value: string): z.infer<typeof tokenResponse> {
  const {
    uses: _uses,
    revoked_at: _revoked,
    issuer_type: _issuer,
    ...fields
  } = toTokenSelfBody(token);
  return { token: value, value, ...fields };
}
