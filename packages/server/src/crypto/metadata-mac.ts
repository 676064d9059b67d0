import { createHmac, timingSafeEqual } from "node:crypto";
import type { Tier } from "@agentsecretstore/protocol";

/**
 * What a read decides on about a secret, and so what a database writer must not change unseen
 * (issue 17, item 13): a lower tier skips people, another current version or expiry serves
 * another value. Description, tags and type are shown, never decided on, and are not covered.
 */
export type SecretMetadataFacts = {
  tenantId: string;
  id: string;
  path: string;
  tier: Tier;
  currentVersion: number;
  expiresAt: string | null;
  /** The broker's destination binding as stored (JSON text), or null for none. */
  allowedDestinations?: string | null;
  /** The broker's approval policy (`per_call`), or null for none. */
  approval?: string | null;
};

/**
 * What a read decides on about one version: its tier, its retirement, and which sealed format
 * holds its value (so that a value sealed without the secret id cannot replace one sealed with it).
 */
export type VersionMetadataFacts = {
  tenantId: string;
  secretId: string;
  version: number;
  tier: Tier;
  retiredAt: string | null;
  sealedFormat: number;
};

/**
 * HMAC-SHA-256 (hex) of a secret row's security-relevant fields under `key`
 * (`deriveKey(vaultKey, "secret-metadata")`).
 */
export function secretMetadataMac(key: Buffer, facts: SecretMetadataFacts): string {
  return mac(key, "secret", [
    facts.tenantId,
    facts.id,
    facts.path,
    facts.tier,
    String(facts.currentVersion),
    instant(facts.expiresAt),
    // The broker's policy, tagged, and only when set: a row without one has the MAC it had
    // before these fields existed (migration 007 MACed rows that could not have them).
    ...(facts.allowedDestinations == null ? [] : ["destinations", facts.allowedDestinations]),
    ...(facts.approval == null ? [] : ["approval", facts.approval]),
  ]);
}

/** HMAC-SHA-256 (hex) of a version row's security-relevant fields under `key`. */
export function versionMetadataMac(key: Buffer, facts: VersionMetadataFacts): string {
  return mac(key, "version", [
    facts.tenantId,
    facts.secretId,
    String(facts.version),
    facts.tier,
    instant(facts.retiredAt),
    String(facts.sealedFormat),
  ]);
}

/** Compares a stored MAC with the expected one in constant time; a missing one never matches. */
export function macMatches(stored: string | null, expected: string): boolean {
  if (typeof stored !== "string" || stored.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(stored, "utf8"), Buffer.from(expected, "utf8"));
}

/**
 * An instant in one spelling: SQLite hands back the text JS wrote, PostgreSQL its timestamptz
 * as ISO-8601 text; both name the same millisecond.
 */
function instant(value: string | null): string | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/**
 * A label, then each field length-prefixed (null as length 0xffffffff), so that no two different
 * rows encode to the same bytes.
 */
function mac(key: Buffer, kind: string, fields: readonly (string | null)[]): string {
  const label = LABELS.get(kind) ?? Buffer.from(`agentsecretstore/metadata/${kind}/v1`, "utf8");
  LABELS.set(kind, label);
  let length = label.length;
  for (const field of fields) length += 4 + (field === null ? 0 : Buffer.byteLength(field, "utf8"));
  // One buffer and one update: each call into the HMAC costs more than the bytes it hashes.
  const bytes = Buffer.allocUnsafe(length);
  let at = label.copy(bytes, 0);
  for (const field of fields) {
    if (field === null) {
      at = bytes.writeUInt32BE(NULL_LENGTH, at);
      continue;
    }
    const written = bytes.write(field, at + 4, "utf8");
    bytes.writeUInt32BE(written, at);
    at += 4 + written;
  }
  return createHmac("sha256", key).update(bytes).digest("hex");
}

/** The label bytes of each kind, made once. */
const LABELS = new Map<string, Buffer>();

const NULL_LENGTH = 0xffffffff;
