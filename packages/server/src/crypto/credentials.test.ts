import { describe, expect, it } from "vitest";
import {
  type CredentialKind,
  credentialKindOf,
  generateCredential,
  generateId,
  hashCredential,
  hashesEqual,
} from "./credentials.js";

const kinds: readonly [CredentialKind, string][] = [
  ["agent", "ass_live_"],
  ["admin", "ass_admin_"],
  ["token", "ast_tok_"],
];

describe("generateCredential / credentialKindOf", () => {
  it.each(kinds)(
    "makes a %s credential with the %s prefix and 43 base64url characters",
    (kind, prefix) => {
      const credential = generateCredential(kind);
      expect(credential.startsWith(prefix)).toBe(true);
      expect(credential.slice(prefix.length)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(credentialKindOf(credential)).toBe(kind);
    },
  );

  it("never makes the same credential twice", () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateCredential("token")));
    expect(seen.size).toBe(200);
  });

  it.each([
    "",
    "ass_live_",
    "ass_live_short",
    `ass_live_${"A".repeat(44)}`,
    `ass_live_${"A".repeat(42)}+`,
    `ass_test_${"A".repeat(43)}`,
    `Bearer ass_live_${"A".repeat(43)}`,
    `ast_tok_${"A".repeat(42)}B`, // last character carries bits that 32 bytes cannot have
    `ass_live_${"A".repeat(43)}\n`,
  ])("does not recognise the malformed credential %j", (credential) => {
    expect(credentialKindOf(credential)).toBeNull();
  });

  it("recognises a hand-written canonical body", () => {
    expect(credentialKindOf(`ass_admin_${"A".repeat(42)}E`)).toBe("admin");
  });
});

describe("hashCredential / hashesEqual", () => {
  const keyA = Buffer.alloc(32, 1);
  const keyB = Buffer.alloc(32, 2);
  const credential = `ass_live_${"canaryCredential1f3a".padEnd(43, "x")}`;

  it("is stable per key, differs across keys and credentials, and hides the credential", () => {
    const hash = hashCredential(keyA, credential);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashCredential(keyA, credential)).toBe(hash);
    expect(hashCredential(keyB, credential)).not.toBe(hash);
    expect(hashCredential(keyA, `${credential.slice(0, -1)}y`)).not.toBe(hash);
    expect(hash).not.toContain("canary");
  });

  it("compares equal hashes as equal and anything else as different", () => {
    const hash = hashCredential(keyA, credential);
    expect(hashesEqual(hash, `${hash}`)).toBe(true);
    expect(hashesEqual(hash, hashCredential(keyB, credential))).toBe(false);
    expect(hashesEqual(hash, hash.slice(0, 63))).toBe(false);
    expect(hashesEqual(hash, "")).toBe(false);
    expect(hashesEqual(hash, null as unknown as string)).toBe(false);
  });
});

describe("generateId", () => {
  it("makes prefixed, unique hex ids", () => {
    const id = generateId("tok_");
    expect(id).toMatch(/^tok_[0-9a-f]{32}$/);
    expect(generateId("tok_")).not.toBe(id);
  });

  it("starts each id with its time, so that newer ids sort after older ones", async () => {
    const before = Date.now();
    const first = generateId("evt_");
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = generateId("evt_");
    expect(Number.parseInt(first.slice(4, 16), 16)).toBeGreaterThanOrEqual(before);
    expect(Number.parseInt(first.slice(4, 16), 16)).toBeLessThanOrEqual(Date.now());
    expect(second > first).toBe(true);
  });

  it("draws fresh randomness for every id, across refills of its pool", () => {
    const ids = Array.from({ length: 2000 }, () => generateId("evt_").slice(16));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
