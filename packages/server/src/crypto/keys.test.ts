import { describe, expect, it } from "vitest";
import { deriveKey } from "./keys.js";

const masterKey = Buffer.alloc(32, 3);

describe("deriveKey", () => {
  it("derives a stable 32-byte key per purpose", () => {
    const first = deriveKey(masterKey, "credential-hmac");
    expect(first).toHaveLength(32);
    expect(deriveKey(masterKey, "credential-hmac").equals(first)).toBe(true);
  });

  it("derives different keys for different purposes and master keys", () => {
    const hmac = deriveKey(masterKey, "credential-hmac");
    expect(deriveKey(masterKey, "audit").equals(hmac)).toBe(false);
    expect(deriveKey(Buffer.alloc(32, 4), "credential-hmac").equals(hmac)).toBe(false);
    expect(hmac.equals(masterKey)).toBe(false);
  });

  it("rejects a master key of the wrong length and an empty purpose", () => {
    expect(() => deriveKey(Buffer.alloc(31), "audit")).toThrow("32-byte");
    expect(() => deriveKey(masterKey, "")).toThrow("purpose");
  });
});
