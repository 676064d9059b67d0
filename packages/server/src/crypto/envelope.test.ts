import { randomBytes } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  openSecretValue,
  SealedValueError,
  type SecretBinding,
  sealSecretValue,
} from "./envelope.js";

const masterKey = Buffer.alloc(32, 7);
const binding: SecretBinding = {
  tenantId: "ten_test",
  path: "production/openai/api-key",
  version: 1,
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

  it("starts with the format-version byte", () => {
    expect(sealSecretValue(masterKey, binding, "x")[0]).toBe(1);
  });

  it("produces different bytes on every call (fresh data key and IVs)", () => {
    const first = sealSecretValue(masterKey, binding, canary);
    const second = sealSecretValue(masterKey, binding, canary);
    expect(first.equals(second)).toBe(false);
    expect(first.subarray(1, 61).equals(second.subarray(1, 61))).toBe(false);
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
    const left = { tenantId: "ten_a", path: "a/b", version: 11 };
    const right = { tenantId: "ten_a/a", path: "b", version: 11 };
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
});
