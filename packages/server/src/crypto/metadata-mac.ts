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
  const parts: Buffer[] = [Buffer.from(`agentsecretstore/metadata/${kind}/v1`, "utf8")];
  for (const field of fields) {
    const bytes = field === null ? EMPTY : Buffer.from(field, "utf8");
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32BE(field === null ? NULL_LENGTH : bytes.length);
    parts.push(length, bytes);
  }
  // One update: each call into the HMAC costs more than the bytes it hashes.
  return createHmac("sha256", key).update(Buffer.concat(parts)).digest("hex");
}

const EMPTY = Buffer.alloc(0);
const NULL_LENGTH = 0xffffffff;
