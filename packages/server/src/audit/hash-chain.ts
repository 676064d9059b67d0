import { createHash, createHmac } from "node:crypto";

/** The hashed content of one audit event (docs/protocol.md, "Audit, health, the document itself"). Never holds a secret value. */
export type AuditEventContent = {
  id: string;
  /** ISO-8601 UTC timestamp. */
  at: string;
  tenantId: string;
  event: string;
  actorType: string;
  actorId: string | null;
  tokenId: string | null;
  path: string | null;
  version: number | null;
  ip: string | null;
  outcome: string;
  requestId: string | null;
  detail?: Record<string, string | number | boolean | null>;
};

/** An audit event as stored: its content plus its place in the chain. */
export type ChainedAuditEvent = AuditEventContent & { hash: string; prevHash: string };

/** The `prevHash` of a tenant's first event: 64 zeros. */
export const GENESIS_HASH: string = "0".repeat(64);

/** The result of {@link verifyAuditChain}. `count` is how many events verified before it stopped. */
export type AuditChainVerification =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenAt: string; reason: string };

/**
 * The key of a tenant's chain: `deriveKey(masterKey, "audit")`. `null` stands for the unkeyed
 * SHA-256 chain that vaults made before the chain was keyed; it is used only to check such a
 * chain once, when it is re-chained (src/store/rechain-legacy-audit.ts).
 */
export type AuditChainKey = Buffer | null;

/**
 * The event's hash: HMAC-SHA-256 (hex) under the chain key over `prevHash` followed by a
 * canonical JSON of the content (keys sorted, no whitespace), so that only the vault (which holds
 * the master key) can compute it: whoever edits the database cannot re-hash the chain after
 * deleting an event. Only the fields of {@link AuditEventContent} are hashed, so a stored row
 * with `hash` / `prevHash` or other columns can be passed as it is; a missing `detail` hashes the
 * same as `null`. With a `null` key: the old unkeyed SHA-256 of the same bytes.
 */
export function hashAuditEvent(
  key: AuditChainKey,
  prevHash: string,
  content: AuditEventContent,
): string {
  const digest = key === null ? createHash("sha256") : createHmac("sha256", key);
  return digest.update(prevHash, "utf8").update(hashedText(content), "utf8").digest("hex");
}

/** The fields of an event its hash covers, absent optional ones as `null`. */
export function hashedFields(content: AuditEventContent): Record<string, unknown> {
  return {
    id: content.id,
    at: content.at,
    tenantId: content.tenantId,
    event: content.event,
    actorType: content.actorType,
    actorId: content.actorId ?? null,
    tokenId: content.tokenId ?? null,
    path: content.path ?? null,
    version: content.version ?? null,
    ip: content.ip ?? null,
    outcome: content.outcome,
    requestId: content.requestId ?? null,
    detail: content.detail ?? null,
  };
}

/**
 * `canonicalJson(hashedFields(content))`, written out in the fields' sorted order so that no
 * object is built and no key sorted per event (the hot path appends one per read): the same text,
 * which the tests hold it to. An event missing a required field takes the general path, which
 * leaves that key out.
 */
export function hashedText(content: AuditEventContent): string {
  const { id, at, tenantId, event, actorType, outcome } = content;
  if (
    id === undefined ||
    at === undefined ||
    tenantId === undefined ||
    event === undefined ||
    actorType === undefined ||
    outcome === undefined
  ) {
    return canonicalJson(hashedFields(content));
  }
  const json = canonicalJson;
  return (
    `{"actorId":${json(content.actorId ?? null)},"actorType":${json(actorType)},` +
    `"at":${json(at)},"detail":${json(content.detail ?? null)},"event":${json(event)},` +
    `"id":${json(id)},"ip":${json(content.ip ?? null)},"outcome":${json(outcome)},` +
    `"path":${json(content.path ?? null)},"requestId":${json(content.requestId ?? null)},` +
    `"tenantId":${json(tenantId)},"tokenId":${json(content.tokenId ?? null)},` +
    `"version":${json(content.version ?? null)}}`
  );
}

/** Options of {@link verifyAuditChain}. */
export type VerifyAuditChainOptions = {
  /** The chain key the hashes must have been made with (see {@link AuditChainKey}). */
  key: AuditChainKey;
  /**
   * The hash the first given event must point back to; pass the last verified hash to check a
   * chain in slices.
   * @default GENESIS_HASH
   */
  expectedPrevHash?: string;
};

/**
 * Checks one tenant's chain, events in chain order: each event must point at the previous
 * event's hash and its own hash must match its content under the chain key. Reports the id of the first event where
 * that fails; an edited, deleted, inserted or reordered event breaks the chain there. (Removing
 * the newest events leaves a shorter valid chain; compare `lastHash` with a stored head to catch
 * that.)
 */
export function verifyAuditChain(
  events: Iterable<ChainedAuditEvent>,
  options: VerifyAuditChainOptions,
): AuditChainVerification {
  let expectedPrevHash = options.expectedPrevHash ?? GENESIS_HASH;
  let tenantId: string | undefined;
  let count = 0;
  for (const event of events) {
    const broken = (reason: string) => ({ ok: false as const, count, brokenAt: event.id, reason });
    tenantId ??= event.tenantId;
    if (event.tenantId !== tenantId) {
      return broken("event belongs to another tenant's chain");
    }
    if (event.prevHash !== expectedPrevHash) {
      return broken(
        "prev_hash does not match the previous event's hash: an event before it was deleted, inserted or reordered",
      );
    }
    if (hashAuditEvent(options.key, event.prevHash, event) !== event.hash) {
      if (options.key !== null && hashAuditEvent(null, event.prevHash, event) === event.hash) {
        return broken(
          "hash is an unkeyed SHA-256, not the vault's keyed hash: the chain was re-hashed without the key, or was already broken when the vault was upgraded and so never re-keyed",
        );
      }
      return broken("hash does not match the event's content: the event was altered");
    }
    expectedPrevHash = event.hash;
    count += 1;
  }
  return { ok: true, count, lastHash: expectedPrevHash };
}

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    // Keys holding `undefined` are left out, as JSON storage would drop them.
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${entries.join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new TypeError("audit event numbers must be finite");
  }
  return JSON.stringify(value);
}
