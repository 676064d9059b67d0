import { inspect } from "node:util";
import { CREDENTIAL_PREFIXES } from "@agentsecretstore/protocol";
import { describe, expect, it } from "vitest";
import { REDACTED, SecretRegistry } from "./secret-registry.js";

const CANARY = "canary-value-1f3a9c2e";

describe("SecretRegistry", () => {
  it("masks every occurrence of a registered value", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    expect(registry.mask(`a ${CANARY} b ${CANARY}`)).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it("leaves text without registered values unchanged", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    expect(registry.mask("nothing to hide here")).toBe("nothing to hide here");
    expect(registry.contains("nothing to hide here")).toBe(false);
  });

  it("masks the URL-encoded, JSON-escaped and base64 forms of a value", () => {
    const registry = new SecretRegistry();
    const value = 'canary "quoted"/&=value';
    registry.add(value);
    const forms = [
      encodeURIComponent(value),
      new URLSearchParams({ v: value }).toString().slice(2),
      JSON.stringify(value).slice(1, -1),
      Buffer.from(value).toString("base64"),
    ];
    for (const form of forms) expect(registry.mask(`x${form}x`)).toBe(`x${REDACTED}x`);
  });

  it("masks a longer value whole when it contains a shorter registered one", () => {
    const registry = new SecretRegistry();
    registry.add("canary-short");
    registry.add("canary-short-and-longer");
    expect(registry.mask("canary-short-and-longer")).toBe(REDACTED);
  });

  it("ignores values shorter than the minimum length", () => {
    const registry = new SecretRegistry({ minLength: 6 });
    registry.add("abc");
    expect(registry.size).toBe(0);
    expect(registry.mask("abc abc")).toBe("abc abc");
  });

  it("always masks vault credentials, registered or not", () => {
    const registry = new SecretRegistry();
    expect(registry.mask("token ast_tok_fakefakefake1234 key ass_live_fakefake99")).toBe(
      `token ast_tok_${REDACTED} key ass_live_${REDACTED}`,
    );
  });

  it("keeps values revealed on purpose readable in model input but not elsewhere", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY, { visibleToModel: true });
    expect(registry.mask(CANARY, { forModel: true })).toBe(CANARY);
    expect(registry.mask(CANARY)).toBe(REDACTED);
  });

  it("forgets every value on clear()", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    registry.clear();
    expect(registry.has(CANARY)).toBe(false);
    expect(registry.mask(CANARY)).toBe(CANARY);
  });

  it("never prints a value when logged or serialised", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    expect(String(registry)).not.toContain(CANARY);
    expect(JSON.stringify(registry)).not.toContain(CANARY);
    expect(inspect(registry)).not.toContain(CANARY);
  });

  it("rejects a minimum length that is not a positive integer", () => {
    expect(() => new SecretRegistry({ minLength: 0 })).toThrow(RangeError);
  });

  it("reports the longest form it masks, counting vault credential prefixes", () => {
    const registry = new SecretRegistry();
    const longestPrefix = Math.max(
      ...Object.values(CREDENTIAL_PREFIXES).map((prefix) => prefix.length),
    );
    expect(registry.longestMaskedLength()).toBe(longestPrefix);
    registry.add(CANARY);
    expect(registry.longestMaskedLength()).toBeGreaterThanOrEqual(CANARY.length);
  });

  it("settles ordinary text at once, holding back at most a trailing word character", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    expect(registry.settledLength("plain text ")).toBe("plain text ".length);
    expect(registry.settledLength("plain text")).toBeGreaterThanOrEqual("plain text".length - 1);
  });

  it("does not settle the start of a value that may still be completed", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    expect(registry.settledLength("the key is canary-va")).toBe("the key is ".length);
    expect(registry.settledLength("token ast_tok_fake01")).toBe("token ".length);
  });

  it("masks a stream cut anywhere exactly as it masks the whole text", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const text = `key=${CANARY}&b64=${btoa(CANARY)} ${CANARY}x ast_tok_fake0 end`;
    for (let first = 1; first < text.length; first++) {
      const second = Math.min(text.length, first + 7);
      const pieces = [text.slice(0, first), text.slice(first, second), text.slice(second)];
      let held = "";
      let passedOn = "";
      for (const piece of pieces) {
        held += piece;
        const settled = registry.settledLength(held);
        passedOn += registry.mask(held.slice(0, settled));
        held = held.slice(settled);
      }
      passedOn += registry.mask(held);
      expect(passedOn).toBe(registry.mask(text));
    }
  });
});
