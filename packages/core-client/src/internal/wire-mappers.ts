import {
  ALLOWED_IPS_NAMES,
  APPROVAL_REQUEST_ID_NAMES,
  ROTATION_EXPIRES_AT_NAMES,
  SECRET_TYPE_NAMES,
  TAGS_NAMES,
  TIER_NAMES,
  TOKEN_VALUE_NAMES,
} from "@agentsecretstore/protocol";
import { AgentVaultNotFoundError } from "../errors.js";
import type { Approval, ApprovalRequest } from "../models/approval-request.js";
import type { ApprovalStatus } from "../models/approval-status.js";
import type { ImportResult } from "../models/import-result.js";
import type { RotationResult } from "../models/rotation-result.js";
import { ScopedToken } from "../models/scoped-token.js";
import { Secret } from "../models/secret.js";
import type {
  AllowedDestination,
  SecretMetadata,
  SecretVersionInfo,
} from "../models/secret-metadata.js";
import type { SecretPage } from "../models/secret-page.js";
import type { SecretTier } from "../models/secret-tier.js";
import type { SecretType } from "../models/secret-type.js";
import {
  asWireObject,
  dateOrNull,
  numberOrNull,
  pick,
  requireNumber,
  requireString,
  stringArray,
  stringMap,
  stringOrNull,
  type WireObject,
} from "./wire-fields.js";

// The one place where wire shapes become models. Both API generations are understood: a field
// is read under each of its names in the protocol's alias table (its `…_NAMES` pairs). Defaults are
// literals of the models' union types (checked by the compiler), so that the SecretTier,
// SecretType and ApprovalStatus objects stay out of bundles that do not import them.

/** Metadata fields shared by secrets, writes and listings. */
export function toSecretMetadata(body: unknown): SecretMetadata {
  const wire = asWireObject(body, "secret metadata");
  const metadata = metadataFields(wire);
  const versions = pick(wire, "versions");
  if (!Array.isArray(versions)) return metadata;
  return { ...metadata, versions: versions.map(toVersionInfo) };
}

/** `GET /v1/secrets/{path}` → {@link Secret}. */
export function toSecret(body: unknown, requestedPath: string): Secret {
  const wire = asWireObject(body, "a secret");
  if (typeof wire.value !== "string" && Array.isArray(wire.items)) {
    // docs/protocol.md: a path that holds no secret but has secrets below it answers with the listing.
    throw new AgentVaultNotFoundError(
      `No secret at "${requestedPath}": it is a namespace; list it with listSecrets("${requestedPath}").`,
      { code: "SECRET_NOT_FOUND", status: 404, path: requestedPath },
    );
  }
  const value = requireString(wire, "secret", "value");
  return new Secret({ ...metadataFields(wire), value });
}

/** `GET /v1/secrets?namespace=…` → {@link SecretPage}. */
export function toSecretPage(body: unknown): SecretPage {
  const wire = asWireObject(body, "a secret listing");
  const items = Array.isArray(wire.items) ? wire.items : [];
  return {
    namespace: stringOrNull(pick(wire, "namespace")) ?? "",
    items: items.map((item) => toSecretMetadata(item)),
    nextCursor: stringOrNull(pick(wire, "next_cursor", "nextCursor")),
  };
}

/** `POST /v1/tokens` (201 or 202) → {@link ScopedToken}. */
export function toScopedToken(body: unknown): ScopedToken {
  const wire = asWireObject(body, "a token");
  return scopedToken(wire, requireString(wire, "token", ...TOKEN_VALUE_NAMES));
}

/**
 * `GET /v1/tokens/self` → {@link ScopedToken} with `value` `""`: the server never sends a
 * token's value again after minting it.
 */
export function toTokenRecord(body: unknown): ScopedToken {
  return scopedToken(asWireObject(body, "a token record"), "");
}

function scopedToken(wire: WireObject, value: string): ScopedToken {
  const scopes = stringArray(pick(wire, "scopes", "scope"));
  const approvalStatus = approvalStatusOf(pick(wire, "approval_status"), "approved");
  const requiresApproval = pick(wire, "requires_approval");
  return new ScopedToken({
    value,
    tokenId: requireString(wire, "token", "token_id", "id"),
    scope: stringOrNull(pick(wire, "scope")) ?? scopes[0] ?? "",
    scopes,
    ttlSeconds: numberOrNull(pick(wire, "ttl_seconds")) ?? 0,
    expiresAt: dateOrNull(pick(wire, "expires_at")),
    description: stringOrNull(pick(wire, "description")),
    allowedIps: nullableStringArray(pick(wire, ...ALLOWED_IPS_NAMES)),
    maxUses: numberOrNull(pick(wire, "max_uses")),
    usesRemaining: numberOrNull(pick(wire, "uses_remaining")),
    approvalStatus,
    approvalRequestId: stringOrNull(pick(wire, ...APPROVAL_REQUEST_ID_NAMES)),
    requiresApproval:
      typeof requiresApproval === "boolean" ? requiresApproval : approvalStatus !== "approved",
  });
}

/** `POST /v1/secrets/import` → {@link ImportResult}. */
export function toImportResult(body: unknown, requestedNamespace: string): ImportResult {
  const wire = asWireObject(body, "an import result");
  const imported = stringArray(pick(wire, "imported"));
  return {
    namespace: stringOrNull(pick(wire, "namespace")) ?? requestedNamespace,
    imported,
    importedCount: numberOrNull(pick(wire, "imported_count")) ?? imported.length,
  };
}

/** `POST /v1/secrets/{path}/rotate` (or the legacy `PATCH`) → {@link RotationResult}. */
export function toRotationResult(body: unknown, requestedPath: string): RotationResult {
  const wire = asWireObject(body, "a rotation result");
  return {
    path: stringOrNull(pick(wire, "path")) ?? requestedPath,
    newVersion: requireNumber(wire, "rotation", "new_version", "version"),
    oldVersion: numberOrNull(pick(wire, "old_version")),
    expiresAt: dateOrNull(pick(wire, ...ROTATION_EXPIRES_AT_NAMES)),
    gracePeriodSeconds: numberOrNull(pick(wire, "grace_period_seconds")) ?? 0,
  };
}

/** `GET /v1/approvals/{id}` → {@link ApprovalRequest}. */
export function toApprovalRequest(body: unknown): ApprovalRequest {
  const wire = asWireObject(body, "an approval request");
  const approvals = pick(wire, "approvals");
  const tier = pick(wire, ...TIER_NAMES);
  return {
    id: requireString(wire, "approval request", "id", "approval_request_id", "approval_id"),
    status: approvalStatusOf(pick(wire, "status"), "pending"),
    tier: typeof tier === "string" ? (tier as SecretTier) : null,
    scopes: stringArray(pick(wire, "scopes", "scope")),
    requestedBy: stringOrNull(pick(wire, "requested_by")),
    description: stringOrNull(pick(wire, "description")),
    approvals: Array.isArray(approvals) ? approvals.map(toApproval) : [],
    requiredApprovals: numberOrNull(pick(wire, "required_approvals")) ?? 1,
    eligibleAt: dateOrNull(pick(wire, "eligible_at")),
    decidedAt: dateOrNull(pick(wire, "decided_at")),
    path: stringOrNull(pick(wire, "path")),
    createdAt: dateOrNull(pick(wire, "created_at")),
    expiresAt: dateOrNull(pick(wire, "expires_at")),
  };
}

function metadataFields(wire: WireObject): SecretMetadata {
  const path = requireString(wire, "secret", "path");
  const lastSlash = path.lastIndexOf("/");
  const tier = pick(wire, ...TIER_NAMES);
  const secretType = pick(wire, ...SECRET_TYPE_NAMES);
  return {
    path,
    namespace: stringOrNull(pick(wire, "namespace")) ?? path.slice(0, Math.max(lastSlash, 0)),
    key: stringOrNull(pick(wire, "key")) ?? path.slice(lastSlash + 1),
    version: numberOrNull(pick(wire, "version")) ?? 0,
    tier: typeof tier === "string" ? (tier as SecretTier) : "standard",
    secretType: typeof secretType === "string" ? (secretType as SecretType) : "custom",
    description: stringOrNull(pick(wire, "description")),
    tags: stringMap(pick(wire, ...TAGS_NAMES)),
    createdAt: dateOrNull(pick(wire, "created_at")),
    updatedAt: dateOrNull(pick(wire, "updated_at")),
    accessedAt: dateOrNull(pick(wire, "accessed_at")),
    expiresAt: dateOrNull(pick(wire, "expires_at")),
    allowedDestinations: destinationsOrNull(pick(wire, "allowed_destinations")),
    approval: pick(wire, "approval") === "per_call" ? "per_call" : null,
  };
}

/** `allowed_destinations` as the server sends it (checked when written); anything else is no binding. */
function destinationsOrNull(value: unknown): AllowedDestination[] | null {
  return Array.isArray(value)
    ? value.map((item) => ({ origin: item.origin, pathPrefixes: item.path_prefixes ?? null }))
    : null;
}

function toVersionInfo(item: unknown): SecretVersionInfo {
  const wire = asWireObject(item, "a secret version");
  return {
    version: numberOrNull(pick(wire, "version")) ?? 0,
    createdAt: dateOrNull(pick(wire, "created_at")),
    retiredAt: dateOrNull(pick(wire, "retired_at")),
  };
}

function toApproval(item: unknown): Approval {
  const wire = asWireObject(item, "an approval");
  return {
    by: stringOrNull(pick(wire, "by")) ?? "",
    at: dateOrNull(pick(wire, "at")),
    comment: stringOrNull(pick(wire, "comment")),
  };
}

function approvalStatusOf(value: unknown, fallback: ApprovalStatus): ApprovalStatus {
  return typeof value === "string" ? (value as ApprovalStatus) : fallback;
}

function nullableStringArray(value: unknown): string[] | null {
  return value === undefined ? null : stringArray(value);
}
