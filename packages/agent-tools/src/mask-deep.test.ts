import { describe, expect, it } from "vitest";
import { maskDeep } from "./mask-deep.js";

const CANARY = "canary-value-7b2d";
const mask = (text: string) => text.split(CANARY).join("[REDACTED]");

class Holder {
  constructor(readonly note: string) {}
}

describe("maskDeep", () => {
  it("masks strings at any depth in arrays and plain objects, in copies", () => {
    const value = { a: [CANARY, { b: `x ${CANARY}` }], c: 3, d: null };
    expect(maskDeep(value, mask)).toEqual({
      a: ["[REDACTED]", { b: "x [REDACTED]" }],
      c: 3,
      d: null,
    });
    expect(value.a[0]).toBe(CANARY);
  });

  it("returns the same reference when nothing needed masking", () => {
    const value = { a: ["clean"], b: { c: "clean" } };
    expect(maskDeep(value, mask)).toBe(value);
  });

  it("follows cycles without looping", () => {
    const value: Record<string, unknown> = { text: CANARY };
    value.self = value;
    const masked = maskDeep(value, mask);
    expect(masked.text).toBe("[REDACTED]");
  });

  it("leaves class instances alone unless classInstances is set", () => {
    const holder = new Holder(CANARY);
    expect(maskDeep({ holder }, mask).holder).toBe(holder);
    const copy = maskDeep({ holder }, mask, { classInstances: true }).holder;
    expect(copy).toBeInstanceOf(Holder);
    expect(copy.note).toBe("[REDACTED]");
    expect(holder.note).toBe(CANARY);
  });

  it("lets rebuild handle a framework's own objects", () => {
    const holder = new Holder(CANARY);
    const masked = maskDeep([holder], mask, {
      rebuild: (value, maskChild) =>
        value instanceof Holder ? new Holder(maskChild(value.note)) : undefined,
    });
    expect(masked[0]).toBeInstanceOf(Holder);
    expect(masked[0]?.note).toBe("[REDACTED]");
  });

  it("returns dates and buffers as they are", () => {
    const date = new Date(0);
    const bytes = new TextEncoder().encode(CANARY);
    const masked = maskDeep({ date, bytes }, mask, { classInstances: true });
    expect(masked.date).toBe(date);
    expect(masked.bytes).toBe(bytes);
  });
});
