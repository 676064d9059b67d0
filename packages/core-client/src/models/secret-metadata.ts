import type { SecretTier } from "./secret-tier.js";
import type { SecretType } from "./secret-type.js";

/** One stored version of a secret, as listed by `getMetadata`. */
export interface SecretVersionInfo {
  /** Version number, starting at 1. */
  readonly version: number;
  /** When this version was written. */
  readonly createdAt: Date | null;
  /** When this version stopped being readable (after a rotation's grace period), or `null`. */
  readonly retiredAt: Date | null;
}

/** One place a secret may be sent (`allowedDestinations`), e.g. `{ origin: "https://api.openai.com", pathPrefixes: ["/v1/"] }`. */
export interface AllowedDestination {
  /** `scheme://host[:port]`, http or https. */
  readonly origin: string;
  /** Paths at that origin, each covering whole segments; `null` = every path. */
  readonly pathPrefixes: readonly string[] | null;
}

/** Everything about a secret except its value (what writes and listings return). */
export interface SecretMetadata {
  /** Full path, e.g. `production/openai/api-key`. */
  readonly path: string;
  /** All but the last path segment, e.g. `production/openai`. */
  readonly namespace: string;
  /** The last path segment, e.g. `api-key`. */
  readonly key: string;
  /** Current version number (or the one that was read). */
  readonly version: number;
  /** Who must approve reads. */
  readonly tier: SecretTier;
  /** What kind of credential it is. */
  readonly secretType: SecretType;
  /** Free text, or `null`. */
  readonly description: string | null;
  /** String-to-string labels (the newer API calls them `metadata`). */
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  /** Last read, or `null` when never read (or not reported). */
  readonly accessedAt: Date | null;
  /** When the secret stops being readable, or `null` when it does not expire. */
  readonly expiresAt: Date | null;
  /** Where the credential broker and `call_api_with_secret` may send the value; `null` = anywhere. */
  readonly allowedDestinations: readonly AllowedDestination[] | null;
  /** `"per_call"`: each brokered call with the secret needs a person's approval; else `null`. */
  readonly approval: "per_call" | null;
  /** Every version, only present on `getMetadata` results. */
  readonly versions?: readonly SecretVersionInfo[];
}
