import type { Tier } from "@agentsecretstore/protocol";
import type { z } from "zod";
import type { SecretRecord } from "../vault/records.js";
import { type ValidationIssue, validationError } from "../vault/vault-error.js";
import type { secretFieldsShape, secretMetadataResponse } from "./schemas/secret-schemas.js";

type FieldsInput = {
  [K in keyof typeof secretFieldsShape]?: z.infer<(typeof secretFieldsShape)[K]>;
};

/** What a write sets besides the value; undefined = keep the current (or default) value. */
export type SecretFields = {
  tier: Tier | undefined;
  secretType: string | undefined;
  description: string | undefined;
  tags: Record<string, string> | undefined;
  expiresAt: string | undefined;
};

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * Merges both generations' names (`tier`/`access_tier`, `secret_type`/`type`, `tags`/`metadata`);
 * giving both with different values is a 400, never a silent pick. `expires_at` must lie ahead.
 */
export function readSecretFields(body: FieldsInput, now: Date): SecretFields {
  const issues: ValidationIssue[] = [];
  const pick = <T>(
    first: string,
    a: T | null | undefined,
    second: string,
    b: T | null | undefined,
  ) => {
    const left = a ?? undefined;
    const right = b ?? undefined;
    if (left !== undefined && right !== undefined && !sameJson(left, right)) {
      issues.push({ field: second, message: `disagrees with ${first}; give one of them` });
    }
    return left ?? right;
  };
  const tier = pick("tier", body.tier, "access_tier", body.access_tier);
  const secretType = pick("secret_type", body.secret_type, "type", body.type);
  const tags = pick("tags", body.tags, "metadata", body.metadata);
  let expiresAt: string | undefined;
  if (body.expires_at != null) {
    const instant = new Date(body.expires_at);
    if (instant.getTime() <= now.getTime()) {
      issues.push({ field: "expires_at", message: "must be in the future" });
    } else expiresAt = instant.toISOString();
  }
  if (issues.length > 0) throw validationError(issues);
  return { tier, secretType, description: body.description ?? undefined, tags, expiresAt };
}

/** Whether the secret is past its `expires_at` (then it reads as 404). */
export function isExpired(secret: SecretRecord, now: Date): boolean {
  return secret.expiresAt !== null && secret.expiresAt <= now.toISOString();
}

/** A secret's metadata in docs/protocol.md's shape, both generations' names included; never the value. */
export function toSecretMetadataBody(secret: SecretRecord): z.infer<typeof secretMetadataResponse> {
  return {
    id: secret.id,
    path: secret.path,
    namespace: secret.namespace,
    key: secret.key,
    version: secret.currentVersion,
    tier: secret.tier,
    access_tier: secret.tier,
    secret_type: secret.secretType,
    type: secret.secretType,
    description: secret.description,
    tags: secret.tags,
    metadata: secret.tags,
    created_at: secret.createdAt,
    updated_at: secret.updatedAt,
    accessed_at: secret.accessedAt,
    expires_at: secret.expiresAt,
  };
}
