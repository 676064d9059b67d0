import type { ApprovalEvents } from "../approvals/approval-events.js";
import type { ApprovalPolicyConfig } from "../approvals/approval-policy.js";
import type { MasterKeyring } from "../crypto/keyring.js";
import { deriveKey } from "../crypto/keys.js";
import type { VaultMetrics } from "../metrics/vault-metrics.js";
import { CommitGroup } from "../store/commit-group.js";
import type { DataAccess } from "../store/stores.js";
import { PrincipalCache } from "./principal-cache.js";
import type { WebhookOutbox } from "./webhook-outbox.js";

/** Where services report what an operator must look at; never given a value or a credential. */
export type VaultLogger = {
  error(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
};

/** What every service gets: data access, keys and settings. Never exported from the package. */
export type VaultContext = {
  readonly data: DataAccess;
  /** The master keys (sealing and opening values) and the vault key (crypto/keyring.ts). */
  readonly keyring: MasterKeyring;
  /** What every other key derives from; never changes (crypto/keyring.ts). */
  readonly vaultKey: Buffer;
  /** HMAC key for credential hashes: deriveKey(vaultKey, "credential-hmac"). */
  readonly credentialHmacKey: Buffer;
  /** HMAC key of the audit chain: deriveKey(vaultKey, "audit"). */
  readonly auditKey: Buffer;
  readonly now: () => Date;
  /** The server's logger (pino's interface). */
  readonly log: VaultLogger;
  /** Largest secret value accepted, in bytes (UTF-8). */
  readonly maxValueBytes: number;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** How long an approved agent read request lets that agent read the path, in seconds. */
  readonly agentGrantSeconds: number;
  /** Aborted when the server starts closing, so long-polls end early. */
  readonly closing: AbortSignal;
  /** Group commit for what reads and refusals write: audit events, token uses, principal checks. */
  readonly commits: CommitGroup;
  /** Principals by credential hash for the hot read routes; confirmed by every commit. */
  readonly principalCache: PrincipalCache;
  /** The critical delay and request lifetime handed to the approval policy. */
  readonly approvalPolicy: ApprovalPolicyConfig;
  /** How often a long-poll re-reads its request even without an event, in milliseconds. */
  readonly approvalRecheckMs: number;
  /** Wakes long-polls when an approval request changes. */
  readonly approvalEvents: ApprovalEvents;
  /** The durable webhook outbox's deliverer (src/webhooks/), as services see it. */
  readonly webhookOutbox: WebhookOutbox;
  /** Counts for `/metrics`. */
  readonly metrics: VaultMetrics;
  /** Settles a critical request when its delay ends, so that waiters and the webhook hear of it. */
  readonly approvalTimers: { schedule(tenantId: string, approvalId: string, at: Date): void };
};

/** What a context is made of; the keys, the group commit and the principal cache derive from it. */
export type VaultContextParts = Omit<
  VaultContext,
  "vaultKey" | "credentialHmacKey" | "auditKey" | "commits" | "principalCache"
>;

/**
 * The one way a context is made, by the server and by the services' own tests: the credential
 * HMAC key derived from the master key, a group commit on the data, an empty principal cache.
 */
export function createVaultContext(parts: VaultContextParts): VaultContext {
  return {
    ...parts,
    vaultKey: parts.keyring.vaultKey,
    credentialHmacKey: deriveKey(parts.keyring.vaultKey, "credential-hmac"),
    auditKey: deriveKey(parts.keyring.vaultKey, "audit"),
    commits: new CommitGroup(parts.data, parts.now),
    principalCache: new PrincipalCache(),
  };
}

/** The current time as the ISO-8601 string the database stores. */
export function nowIso(context: Pick<VaultContext, "now">): string {
  return context.now().toISOString();
}
