import { describe, expect, it } from "vitest";
import { REDACTED, SecretRegistry } from "./secret-registry.js";
import { StreamRedactor } from "./stream-redactor.js";

const VALUE = "fixture-value-8d1c44";

function registryWith(...values: string[]): SecretRegistry {
  const registry = new SecretRegistry();
  for (const value of values) registry.add(value);
  return registry;
}

describe("StreamRedactor", () => {
  it("masks a value split across pieces and never passes on part of it", () => {
    const redactor = new StreamRedactor(registryWith(VALUE));
    const pieces = ["the key is fix", "ture-val", "ue-8d1c44 and more"];
    const out = pieces.map((piece) => redactor.push(piece));
    out.push(redactor.flush());
    expect(out.join("")).toBe(`the key is ${REDACTED} and more`);
    for (const piece of out) {
      expect(piece).not.toContain("fixture");
      expect(piece).not.toContain("8d1c44");
    }
  });

  it("passes ordinary text on at once, holding back only what could start a credential", () => {
    const redactor = new StreamRedactor(registryWith(VALUE));
    expect(redactor.push("hello world")).toBe("hello world");
    expect(redactor.holding).toBe(false);
    expect(redactor.push(" as")).toBe(" ");
    expect(redactor.holding).toBe(true);
    expect(redactor.flush()).toBe("as");
    expect(redactor.holding).toBe(false);
  });

  it("masks a credential glued to the word before it, however it is cut", () => {
    const whole = "key=worldast_tok_abc123 end";
    for (let size = 1; size <= 5; size++) {
      const redactor = new StreamRedactor(registryWith(VALUE));
      let out = "";
      for (let at = 0; at < whole.length; at += size)
        out += redactor.push(whole.slice(at, at + size));
      out += redactor.flush();
      expect(out).toBe("key=worldast_tok_[REDACTED] end");
    }
  });

  it("puts together exactly what masking the whole text gives, however it is cut", () => {
    const registry = registryWith(VALUE, "other-fixture-2b");
    const whole = `a ${VALUE} b other-fixture-2b c ${encodeURIComponent(VALUE)} ast_tok_abc123 end`;
    for (let size = 1; size <= 7; size++) {
      const redactor = new StreamRedactor(registry);
      let out = "";
      for (let at = 0; at < whole.length; at += size)
        out += redactor.push(whole.slice(at, at + size));
      out += redactor.flush();
      expect(out, `pieces of ${size}`).toBe(registry.mask(whole));
    }
  });

  it("leaves values revealed on purpose readable when masking for the model", () => {
    const registry = new SecretRegistry();
    registry.add(VALUE, { visibleToModel: true });
    const forModel = new StreamRedactor(registry, { forModel: true });
    expect(forModel.push(`x ${VALUE} y`) + forModel.flush()).toBe(`x ${VALUE} y`);
    const forTraces = new StreamRedactor(registry);
    expect(forTraces.push(`x ${VALUE} y`) + forTraces.flush()).toBe(`x ${REDACTED} y`);
  });
});
