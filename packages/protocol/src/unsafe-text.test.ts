import { describe, expect, it } from "vitest";
import { escapeUnsafeText, findUnsafeCharacter } from "./unsafe-text.js";

describe("unsafe text", () => {
  it("finds C0, DEL, C1 and bidirectional formatting characters, with their offset", () => {
    expect(findUnsafeCharacter("ok text, ünïcödé and emoji 🙂")).toBeNull();
    expect(findUnsafeCharacter("a\u0000b")).toEqual({ codePoint: "U+0000", offset: 1 });
    expect(findUnsafeCharacter("ab\u001b[2K")).toEqual({ codePoint: "U+001B", offset: 2 });
    expect(findUnsafeCharacter("line\nnext")).toEqual({ codePoint: "U+000A", offset: 4 });
    expect(findUnsafeCharacter("\u007f")?.codePoint).toBe("U+007F");
    expect(findUnsafeCharacter("x\u009b")?.codePoint).toBe("U+009B");
    for (const bidi of ["\u061c", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"]) {
      expect(findUnsafeCharacter(`p${bidi}q`)?.offset).toBe(1);
    }
  });

  it("escapes every one of them visibly and leaves the rest alone", () => {
    expect(escapeUnsafeText("secrets:read:prod/*\u001b[1A\u001b[2Ksecrets:read:staging/*")).toBe(
      "secrets:read:prod/*\\u{001B}[1A\\u{001B}[2Ksecrets:read:staging/*",
    );
    expect(escapeUnsafeText("prod/\u202Eyek-ipa")).toBe("prod/\\u{202E}yek-ipa");
    expect(escapeUnsafeText("plain ünïcödé 🙂")).toBe("plain ünïcödé 🙂");
  });
});
