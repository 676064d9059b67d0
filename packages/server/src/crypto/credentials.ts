import { createHmac, randomBytes, randomFillSync, timingSafeEqual } from "node:crypto";

import { CREDENTIAL_PREFIXES, type CredentialKind } from "@agentsecretstore/protocol";

export type { CredentialKind };

const SECRET_BYTES = 32;
// 32 bytes in unpadded base64url are 43 characters.
const BODY = /^[A-Za-z0-9_-]{43}$/;

/**
 * Makes a new credential: the kind's prefix followed by 32 random bytes in base64url
 * (e.g. `ass_live_` + 43 characters). Show it once; store only {@link hashCredential}'s result.
 */
export function generateCredential(kind: CredentialKind): string {
  const prefix = CREDENTIAL_PREFIXES[kind];
  if (prefix === undefined) throw new TypeError("unknown credential kind");
  return prefix + randomBytes(SECRET_BYTES).toString("base64url");
}

/**
 * The kind of a well-formed credential (known prefix and exactly the body
 * {@link generateCredential} makes), or `null` for anything else. Cheap enough to run before
 * any database lookup, so malformed credentials are turned away early.
 */
export function credentialKindOf(credential: string): CredentialKind | null {
  if (typeof credential !== "string") return null;
  for (const kind of Object.keys(CREDENTIAL_PREFIXES) as CredentialKind[]) {
    const prefix = CREDENTIAL_PREFIXES[kind];
    if (!credential.startsWith(prefix)) continue;
    const body = credential.slice(prefix.length);
    // Re-encoding rejects non-canonical bodies whose last character carries stray bits.
    const canonical =
      BODY.test(body) && Buffer.from(body, "base64url").toString("base64url") === body;
    return canonical ? kind : null;
  }
  return null;
}

/**
 * The stored form of a credential: HMAC-SHA-256 under a key derived from the master key
 * (`deriveKey(masterKey, "credential-hmac")`), as 64 lowercase hex characters. A database dump
 * of these cannot be replayed or brute-forced without the key.
 */
export function hashCredential(hmacKey: Buffer, credential: string): string {
  return createHmac("sha256", hmacKey).update(credential, "utf8").digest("hex");
}

/** Compares two hashes in constant time; `false` when their lengths differ. */
export function hashesEqual(a: string, b: string): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/**
 * A new id such as `tok_` + 32 hex characters: the creation time in milliseconds (12 hex), then
 * 10 random bytes. Ids are not secrets; they are unguessable only so that they leak nothing about
 * how many records exist. Starting with the time, the ids of new rows land at the end of their
 * unique index instead of on a random page of it: a group commit of 20 audit events writes a few
 * index pages, not 20.
 */
export function generateId(prefix: string): string {
  return prefix + Date.now().toString(16).padStart(12, "0") + randomHex(ID_RANDOM_BYTES);
}

const ID_RANDOM_BYTES = 10;
/** Random bytes drawn from the system in one call and handed out in slices (ids are hot). */
const idRandomPool = Buffer.alloc(4096);
let idRandomOffset = idRandomPool.length;

function randomHex(bytes: number): string {
  if (idRandomOffset + bytes > idRandomPool.length) {
    randomFillSync(idRandomPool);
    idRandomOffset = 0;
  }
  const hex = idRandomPool.toString("hex", idRandomOffset, idRandomOffset + bytes);
  idRandomOffset += bytes;
  return hex;
}
