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
  readFields,
  requireNumber,
  requireString,
  stringArray,
  stringMap,
  stringOrNull,
  type WireObject,
} from "./wire-fields.js";

// The one place where wire shapes become models. Both API generations are understood: a field
// is read under each of its names in the protocol's alias table (its `…_NAMES` pairs). Plain
// fields (one snake_case name, no default) are read by readFields' tables. Defaults are
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
  return {
    namespace: stringOrNull(pick(wire, "namespace")) ?? "",
    items: listOf(wire.items, toSecretMetadata),
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
  const approvalStatus = (stringOrNull(pick(wire, "approval_status")) ??
    "approved") as ApprovalStatus;
  const requiresApproval = pick(wire, "requires_approval");
  const allowedIps = pick(wire, ...ALLOWED_IPS_NAMES);
  return new ScopedToken({
    value,
    tokenId: requireString(wire, "token", "token_id", "id"),
    scope: stringOrNull(pick(wire, "scope")) ?? scopes[0] ?? "",
    scopes,
    ...readFields(wire, {
      ttlSeconds: numberOrZero,
      expiresAt: dateOrNull,
      description: stringOrNull,
      maxUses: numberOrNull,
      usesRemaining: numberOrNull,
    }),
    allowedIps: allowedIps === undefined ? null : stringArray(allowedIps),
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
    expiresAt: dateOrNull(pick(wire, ...ROTATION_EXPIRES_AT_NAMES)),
    ...readFields(wire, { oldVersion: numberOrNull, gracePeriodSeconds: numberOrZero }),
  };
}

/** `GET /v1/approvals/{id}` → {@link ApprovalRequest}. */
export function toApprovalRequest(body: unknown): ApprovalRequest {
  const wire = asWireObject(body, "an approval request");
  return {
    id: requireString(wire, "approval request", "id", "approval_request_id", "approval_id"),
    status: (stringOrNull(pick(wire, "status")) ?? "pending") as ApprovalStatus,
    tier: stringOrNull(pick(wire, ...TIER_NAMES)) as SecretTier | null,
    scopes: stringArray(pick(wire, "scopes", "scope")),
    ...readFields(wire, { requestedBy: stringOrNull, description: stringOrNull }),
    approvals: listOf(pick(wire, "approvals"), toApproval),
    requiredApprovals: numberOrNull(pick(wire, "required_approvals")) ?? 1,
    ...readFields(wire, {
      eligibleAt: dateOrNull,
      decidedAt: dateOrNull,
      path: stringOrNull,
      createdAt: dateOrNull,
      expiresAt: dateOrNull,
    }),
  };
}

function metadataFields(wire: WireObject): SecretMetadata {
  const path = requireString(wire, "secret", "path");
  const lastSlash = path.lastIndexOf("/");
  return {
    path,
    namespace: stringOrNull(pick(wire, "namespace")) ?? path.slice(0, Math.max(lastSlash, 0)),
    key: stringOrNull(pick(wire, "key")) ?? path.slice(lastSlash + 1),
    tier: (stringOrNull(pick(wire, ...TIER_NAMES)) ?? "standard") as SecretTier,
    secretType: (stringOrNull(pick(wire, ...SECRET_TYPE_NAMES)) ?? "custom") as SecretType,
    tags: stringMap(pick(wire, ...TAGS_NAMES)),
    ...readFields(wire, {
      version: numberOrZero,
      description: stringOrNull,
      createdAt: dateOrNull,
      updatedAt: dateOrNull,
      accessedAt: dateOrNull,
      expiresAt: dateOrNull,
      allowedDestinations: destinationsOrNull,
    }),
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
  return readFields(wire, { version: numberOrZero, createdAt: dateOrNull, retiredAt: dateOrNull });
}

function toApproval(item: unknown): Approval {
  const wire = asWireObject(item, "an approval");
  return {
    by: stringOrNull(pick(wire, "by")) ?? "",
    ...readFields(wire, { at: dateOrNull, comment: stringOrNull }),
  };
}

/** Each item of a wire list through `map`; anything but an array is an empty list. */
function listOf<Item>(value: unknown, map: (item: unknown) => Item): Item[] {
  return Array.isArray(value) ? value.map(map) : [];
}

function numberOrZero(value: unknown): number {
  return numberOrNull(value) ?? 0;
}
