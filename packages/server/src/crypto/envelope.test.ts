import { randomBytes } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { sealFormat1 } from "../../test/helpers/legacy-seal.js";
import {
  masterKeyId,
  openSecretValue,
  rewrapSecretValue,
  SealedValueError,
  type SecretBinding,
  sealedKeyId,
  sealSecretValue,
} from "./envelope.js";

const masterKey = Buffer.alloc(32, 7);
const binding: SecretBinding = {
  tenantId: "ten_test",
  path: "production/openai/api-key",
  version: 1,
  secretId: "sec_test",
};
const canary = "canary-value-1f3a9c7e-do-not-log";

function openError(key: Buffer, where: SecretBinding, sealed: Buffer): unknown {
  try {
    openSecretValue(key, where, sealed);
  } catch (error) {
    return error;
  }
  throw new Error("expected openSecretValue to throw");
}

describe("sealSecretValue / openSecretValue", () => {
  it("round-trips a value", () => {
    const sealed = sealSecretValue(masterKey, binding, canary);
    expect(openSecretValue(masterKey, binding, sealed)).toBe(canary);
  });

  test.prop([fc.string({ unit: "grapheme", maxLength: 200 })])("round-trips any text", (value) => {
    expect(openSecretValue(masterKey, binding, sealSecretValue(masterKey, binding, value))).toBe(
      value,
    );
  });

  it("starts with the format-version byte, then the id of the master key that wrapped it", () => {
    const sealed = sealSecretValue(masterKey, binding, "x");
    expect(sealed[0]).toBe(2);
    expect(sealedKeyId(sealed)).toBe(masterKeyId(masterKey));
    expect(masterKeyId(masterKey)).toMatch(/^[0-9a-f]{16}$/);
    expect(masterKeyId(randomBytes(32))).not.toBe(masterKeyId(masterKey));
  });

  it("produces different bytes on every call (fresh data key and IVs)", () => {
    const first = sealSecretValue(masterKey, binding, canary);
    const second = sealSecretValue(masterKey, binding, canary);
    expect(first.equals(second)).toBe(false);
    expect(first.subarray(9, 69).equals(second.subarray(9, 69))).toBe(false);
  });

  it("never contains the plaintext in its bytes", () => {
    const sealed = sealSecretValue(masterKey, binding, canary);
    expect(sealed.includes(Buffer.from(canary, "utf8"))).toBe(false);
    expect(sealed.toString("latin1")).not.toContain("canary");
    expect(sealed.toString("base64")).not.toContain(
      Buffer.from(canary).toString("base64").slice(0, 12),
    );
  });

  it("fails with SealedValueError when any single byte is changed", () => {
    const sealed = sealSecretValue(masterKey, binding, canary);
    for (let index = 0; index < sealed.length; index += 1) {
      const tampered = Buffer.from(sealed);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(openError(masterKey, binding, tampered)).toBeInstanceOf(SealedValueError);
    }
  });

  it("fails when truncated or extended", () => {
    const sealed = sealSecretValue(masterKey, binding, canary);
    expect(openError(masterKey, binding, sealed.subarray(0, sealed.length - 1))).toBeInstanceOf(
      SealedValueError,
    );
    expect(openError(masterKey, binding, sealed.subarray(0, 20))).toMatchObject({
      reason: "format",
    });
    expect(openError(masterKey, binding, Buffer.concat([sealed, Buffer.from([0])]))).toBeInstanceOf(
      SealedValueError,
    );
    expect(openError(masterKey, binding, Buffer.alloc(0))).toMatchObject({ reason: "format" });
  });

  it.each<[string, SecretBinding]>([
    ["another tenant", { ...binding, tenantId: "ten_other" }],
    ["another path", { ...binding, path: "production/openai/other-key" }],
    ["another version", { ...binding, version: 2 }],
    [
      "another secret (a deleted one's value replayed into a new one at the same path)",
      { ...binding, secretId: "sec_recreated" },
    ],
  ])("fails when the sealed value is moved to %s", (_, moved) => {
    const sealed = sealSecretValue(masterKey, binding, canary);
    const error = openError(masterKey, moved, sealed);
    expect(error).toBeInstanceOf(SealedValueError);
    expect(error).toMatchObject({
      name: "SealedValueError",
      code: "SEALED_VALUE_INVALID",
      reason: "authentication",
    });
  });

  it("keeps bindings whose fields concatenate alike apart", () => {
    const left = { tenantId: "ten_a", path: "a/b", version: 11, secretId: "sec_a" };
    const right = { tenantId: "ten_a/a", path: "b", version: 11, secretId: "sec_a" };
    const sealed = sealSecretValue(masterKey, left, canary);
    expect(openError(masterKey, right, sealed)).toBeInstanceOf(SealedValueError);
  });

  it("fails under another master key, without the value in the message", () => {
    const sealed = sealSecretValue(masterKey, binding, canary);
    const error = openError(randomBytes(32), binding, sealed) as Error;
    expect(error).toBeInstanceOf(SealedValueError);
    expect(error.message).not.toContain(canary);
    expect(String(error.stack)).not.toContain(canary);
  });

  it("rejects a malformed binding or master key as a programming error", () => {
    expect(() => sealSecretValue(masterKey, { ...binding, version: 0 }, "x")).toThrow(TypeError);
    expect(() => sealSecretValue(masterKey, { ...binding, tenantId: "" }, "x")).toThrow(TypeError);
    expect(() => sealSecretValue(Buffer.alloc(16), binding, "x")).toThrow(TypeError);
  });

  it("names an unknown master key as such when given a keyring", () => {
    const sealed = sealSecretValue(masterKey, binding, canary);
    const error = openError({ keyFor: () => undefined } as never, binding, sealed);
    expect(error).toMatchObject({ reason: "unknown-key" });
    expect(
      openSecretValue(
        { keyFor: (id) => (id === masterKeyId(masterKey) ? masterKey : undefined) },
        binding,
        sealed,
      ),
    ).toBe(canary);
  });
});

describe("format 1 (sealed before key ids)", () => {
  const legacy = { tenantId: binding.tenantId, path: binding.path, version: binding.version };

  it("still opens under the binding it was sealed with, whatever the secret id", () => {
    const sealed = sealFormat1(masterKey, legacy, canary);
    expect(sealedKeyId(sealed)).toBeNull();
    expect(openSecretValue(masterKey, binding, sealed)).toBe(canary);
    expect(
      openSecretValue({ keyFor: (id) => (id === null ? masterKey : undefined) }, binding, sealed),
    ).toBe(canary);
    expect(openError(masterKey, { ...binding, version: 2 }, sealed)).toBeInstanceOf(
      SealedValueError,
    );
  });
});

describe("rewrapSecretValue", () => {
  const newKey = randomBytes(32);

  it("wraps the data key for the new master key and keeps the ciphertext; the old key alone no longer opens it", () => {
    const sealed = sealSecretValue(masterKey, binding, canary);
    const rewrapped = rewrapSecretValue(masterKey, newKey, binding, sealed);
    expect(sealedKeyId(rewrapped)).toBe(masterKeyId(newKey));
    expect(rewrapped.subarray(69).equals(sealed.subarray(69))).toBe(true);
    expect(openSecretValue(newKey, binding, rewrapped)).toBe(canary);
    expect(openError(masterKey, binding, rewrapped)).toMatchObject({ reason: "unknown-key" });
  });

  it("seals a format-1 value again in format 2, binding the secret id", () => {
    const sealed = sealFormat1(masterKey, binding, canary);
    const resealed = rewrapSecretValue(masterKey, newKey, binding, sealed);
    expect(resealed[0]).toBe(2);
    expect(openSecretValue(newKey, binding, resealed)).toBe(canary);
    expect(openError(newKey, { ...binding, secretId: "sec_other" }, resealed)).toBeInstanceOf(
      SealedValueError,
    );
  });

  it("refuses to rewrap an altered value", () => {
    const sealed = sealSecretValue(masterKey, binding, canary);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
    expect(() => rewrapSecretValue(masterKey, newKey, binding, tampered)).toThrow(SealedValueError);
  });
});
