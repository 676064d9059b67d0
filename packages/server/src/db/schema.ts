import type { Tier } from "@agentsecretstore/protocol";
/**
 * The typed database schema. Portable on purpose (docs/development.md): ids are text, timestamps are
 * ISO-8601 strings set in JS, booleans are 0/1, JSON columns hold `JSON.stringify`'d text and
 * sealed values are base64 text, so the same queries run on SQLite and, later, PostgreSQL.
 */
export type TenantsTable = {
  id: string;
  name: string;
  /** HMAC of the tenant id under the master key: detects a data folder opened with the wrong key. */
  key_check: string;
  created_at: string;
  /** Keyed hash of the metrics token made at first start (the operator's tenant only), else null. */
  metrics_token_hash: string | null;
};

export type AgentsTable = {
  id: string;
  tenant_id: string;
  name: string;
  description: string | null;
  key_hash: string;
  /** JSON string[] of scope texts. */
  allowed_scopes: string;
  created_at: string;
  deleted_at: string | null;
};

export type AdminsTable = {
  id: string;
  tenant_id: string;
  name: string;
  key_hash: string;
  is_operator: number;
  created_at: string;
  deleted_at: string | null;
};

export type TokensTable = {
  id: string;
  tenant_id: string;
  token_hash: string;
  issuer_type: "agent" | "admin" | "token";
  issuer_id: string;
  parent_token_id: string | null;
  /** JSON string[] of scope texts. */
  scopes: string;
  description: string | null;
  /** JSON string[] or null. */
  allowed_ips: string | null;
  max_uses: number | null;
  uses: number;
  ttl_seconds: number;
  expires_at: string;
  revoked_at: string | null;
  approval_status: "approved" | "pending" | "denied";
  approval_request_id: string | null;
  approved_tier: Tier;
  created_at: string;
};

export type SecretsTable = {
  id: string;
  tenant_id: string;
  path: string;
  namespace: string;
  key: string;
  current_version: number;
  tier: Tier;
  secret_type: string;
  description: string | null;
  /** JSON Record<string, string>. */
  tags: string;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  accessed_at: string | null;
  /** MAC of tenant, id, path, tier, current version and expiry (crypto/metadata-mac.ts). */
  meta_mac: string | null;
  /** JSON `[{origin, path_prefixes?}]`: where the broker may send the value; null = anywhere. */
  allowed_destinations: string | null;
  /** `"per_call"`: every brokered call with the secret needs a person's approval; null = none. */
  approval: "per_call" | null;
};

export type SecretVersionsTable = {
  secret_id: string;
  tenant_id: string;
  version: number;
  /** The version's tier when written: reading it needs max(this, the secret's tier). */
  tier: Tier;
  /** base64 of the sealed envelope (crypto/envelope.ts). */
  sealed: string;
  created_at: string;
  /** When the version stopped (or stops) being readable after a rotation; null = readable. */
  retired_at: string | null;
  /** MAC of tenant, secret id, version, tier, retirement and sealed format (crypto/metadata-mac.ts). */
  meta_mac: string | null;
};

export type AuditEventsTable = {
  tenant_id: string;
  seq: number;
  id: string;
  at: string;
  event: string;
  actor_type: string;
  actor_id: string | null;
  token_id: string | null;
  path: string | null;
  version: number | null;
  ip: string | null;
  outcome: string;
  request_id: string | null;
  /** JSON object or null. */
  detail: string | null;
  prev_hash: string;
  hash: string;
};

/** One row per tenant: the chain head, locked while appending (a row lock on PostgreSQL). */
export type AuditHeadsTable = {
  tenant_id: string;
  seq: number;
  hash: string;
};

export type IdempotencyKeysTable = {
  tenant_id: string;
  credential_hash: string;
  key: string;
  request_hash: string;
  status: "completed";
  /** JSON `{ statusCode, body }`; holds metadata only, never a secret value. */
  response: string;
  created_at: string;
};

export type ApprovalsTable = {
  id: string;
  tenant_id: string;
  status: "pending" | "approved" | "denied" | "cancelled" | "expired";
  tier: Tier;
  /** JSON string[]: the scopes asked for (a token request) or `secrets:read:<path>` (an agent read). */
  scopes: string;
  /** The secret path for an agent key's read request; null for a token request. */
  path: string | null;
  requested_by_type: "agent" | "admin" | "token";
  requested_by_id: string;
  /** The pending token this request gates; null for an agent read request. */
  token_id: string | null;
  description: string | null;
  required_approvals: number;
  eligible_at: string | null;
  decided_at: string | null;
  /** Until when an approved agent read request lets that agent read `path`. */
  grant_expires_at: string | null;
  created_at: string;
  /** When a still-pending request stops being decidable (a token request: the token's expiry). */
  expires_at: string | null;
  /** Who denied or cancelled it (an admin, agent or token id); "system" when it expired. */
  decided_by: string | null;
  /** The comment given with a denial or cancellation. */
  decision_comment: string | null;
  /** Bumped by every decision: decisions are conditional writes on it. */
  version: number;
  /** JSON of the one brokered call a per-call request admits; null for every other request. */
  call: string | null;
  /** When the approved per-call request's call went out. */
  used_at: string | null;
};

/**
 * One row per approval given (decision `approve`); denials and cancellations are recorded on the
 * request itself (`decided_by`, `decision_comment`), as one admin may approve and later cancel.
 */
export type ApprovalDecisionsTable = {
  approval_id: string;
  tenant_id: string;
  admin_id: string;
  decision: "approve" | "deny" | "cancel";
  comment: string | null;
  at: string;
};

/** One master key the vault has known (src/crypto/keyring.ts). */
export type MasterKeysTable = {
  /** `masterKeyId(key)` (crypto/envelope.ts): names the key without revealing it. */
  key_id: string;
  /** `current` seals new values; `retiring` still opens while a rotation re-wraps; `retired` opens nothing. */
  state: "current" | "retiring" | "retired";
  /** base64: the vault key wrapped under this master key (crypto/key-wrap.ts); null once retired. */
  wrapped_vault_key: string | null;
  /** base64: this master key wrapped under `bridge_key_id`'s, while a rotation to it runs. */
  bridge: string | null;
  bridge_key_id: string | null;
  created_at: string;
  retired_at: string | null;
};

export type Database = {
  tenants: TenantsTable;
  agents: AgentsTable;
  admins: AdminsTable;
  tokens: TokensTable;
  secrets: SecretsTable;
  secret_versions: SecretVersionsTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  idempotency_keys: IdempotencyKeysTable;
  approvals: ApprovalsTable;
  approval_decisions: ApprovalDecisionsTable;
  master_keys: MasterKeysTable;
};

export type { Tier };
