import type { DestinationBinding, Tier } from "@agentsecretstore/protocol";
import type { SecretRecord } from "./records.js";

/** What a write sets besides the value; undefined = keep the current (or default) value. */
export type SecretFields = {
  tier: Tier | undefined;
  secretType: string | undefined;
  description: string | undefined;
  tags: Record<string, string> | undefined;
  expiresAt: string | undefined;
  /** Where the broker may send the value; `null` removes the binding. */
  allowedDestinations?: DestinationBinding[] | null | undefined;
  /** `"per_call"` or `null` (none): whether each brokered call needs a person's approval. */
  approval?: "per_call" | null | undefined;
};

/**
 * A secret's metadata as answers carry it (docs/protocol.md, both API generations' names
 * included); never the value. Services return it because an Idempotency-Key replays the stored
 * answer of a write; http/schemas/secret-schemas.ts describes the same shape for the wire, and
 * the type checker holds the two together.
 */
export type SecretMetadataBody = {
  id: string;
  path: string;
  namespace: string;
  key: string;
  version: number;
  tier: Tier;
  access_tier: Tier;
  secret_type: string;
  type: string;
  description: string | null;
  tags: Record<string, string>;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
  accessed_at: string | null;
  expires_at: string | null;
  /** Where the broker may send the value; null = no binding. */
  allowed_destinations: DestinationBinding[] | null;
  /** `"per_call"` when each brokered call needs a person's approval, else `"none"`. */
  approval: "per_call" | "none";
};

/** Whether the secret is past its `expires_at` (then it reads as 404). */
export function isExpired(secret: SecretRecord, now: Date): boolean {
  return secret.expiresAt !== null && secret.expiresAt <= now.toISOString();
}

/** A secret's metadata in the shape answers carry ({@link SecretMetadataBody}). */
export function toSecretMetadataBody(secret: SecretRecord): SecretMetadataBody {
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
    allowed_destinations: secret.allowedDestinations,
    approval: secret.approval ?? "none",
  };
}
