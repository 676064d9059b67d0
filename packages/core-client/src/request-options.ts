import type { SecretTier } from "./models/secret-tier.js";
import type { SecretType } from "./models/secret-type.js";

/** Options every `AgentVault` method takes. */
export interface RequestOptions {
  /**
   * A credential for this call only (e.g. a subagent's scoped token), instead of the
   * client's `agentKey` / `token`.
   * @default the client's credential
   */
  token?: string | undefined;
  /** Cancels the call; an aborted call rejects with `AgentVaultAbortError` and is never retried. */
  signal?: AbortSignal | undefined;
}

/** Options of `getSecret`. */
export interface GetSecretOptions extends RequestOptions {
  /**
   * Read this version instead of the current one.
   * @default the current version
   */
  version?: number | undefined;
}

/** Options of `setSecret`. */
export interface SetSecretOptions extends RequestOptions {
  /**
   * Who must approve reads of the value.
   * @default "standard" (for a new secret)
   */
  tier?: SecretTier | undefined;
  /**
   * What kind of credential it is.
   * @default "custom"
   */
  secretType?: SecretType | undefined;
  /** Free text shown in listings and approval requests. */
  description?: string | undefined;
  /** String-to-string labels, e.g. `{ team: "ml" }`. */
  tags?: Readonly<Record<string, string>> | undefined;
  /** When the secret stops being readable (a `Date` or ISO-8601 text). */
  expiresAt?: Date | string | undefined;
  /**
   * Where the value may be sent (the broker refuses other destinations); `null` removes the binding.
   * @default kept (none for a new secret)
   */
  allowedDestinations?:
    | readonly { origin: string; pathPrefixes?: readonly string[] | null | undefined }[]
    | null
    | undefined;
  /**
   * `"per_call"`: each brokered call needs a person's approval of that one call; `null` turns it off.
   * @default kept (off for a new secret)
   */
  approval?: "per_call" | null | undefined;
  /**
   * Check-and-set: write only if the current version is this one (sent as `If-Match`);
   * `0` = create only, fail if the secret exists. A mismatch throws `AgentVaultConflictError`.
   */
  ifVersion?: number | undefined;
}

/** Options of `importSecrets`; each field applies to every imported key. */
export type ImportSecretsOptions = Omit<SetSecretOptions, "ifVersion">;

/** Options of `listSecrets`. */
export interface ListSecretsOptions extends RequestOptions {
  /**
   * Items per page (the server allows at most 200).
   * @default 50 (the server's default)
   */
  limit?: number | undefined;
  /** Start from this page (a `nextCursor` from an earlier page). */
  cursor?: string | undefined;
}

/** Options of `rotateSecret`. */
export interface RotateSecretOptions extends RequestOptions {
  /**
   * How long the old value stays readable after the rotation, in seconds (max 30 days).
   * @default 0
   */
  gracePeriodSeconds?: number | undefined;
}

/** Options of `requestToken`. Give `scope` or `scopes`. */
export interface RequestTokenOptions extends RequestOptions {
  /** One scope, e.g. `secrets:read:production/openai/*`. */
  scope?: string | undefined;
  /** Several scopes. */
  scopes?: readonly string[] | undefined;
  /**
   * Lifetime in seconds (max 86 400).
   * @default 3600 (the server's default)
   */
  ttlSeconds?: number | undefined;
  /** Free text shown to approvers and in the audit log. */
  description?: string | undefined;
  /** IPs or CIDRs the token may be used from. */
  allowedIps?: readonly string[] | undefined;
  /**
   * How many requests the token may make.
   * @default unlimited
   */
  maxUses?: number | undefined;
}

/** Options of `waitForApproval`. */
export interface WaitForApprovalOptions extends RequestOptions {
  /**
   * Give up after this long, in ms, with `AgentVaultApprovalTimeoutError`.
   * @default 300_000 (5 minutes)
   */
  timeout?: number | undefined;
  /**
   * How long each long-poll asks the server to hold the request, in seconds.
   * @default 25
   */
  pollWaitSeconds?: number | undefined;
}

/** Options of `broker`. */
export interface BrokerOptions {
  /**
   * The vault credential the brokered calls carry, e.g. a token scoped `secrets:use:…`.
   * @default the client's credential
   */
  token?: string | undefined;
}
