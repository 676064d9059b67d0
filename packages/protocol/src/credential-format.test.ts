import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  CREDENTIAL_PREFIXES,
  credentialKindByPrefix,
  credentialPattern,
  looksLikeCredential,
  maskCredentials,
} from "./credential-format.js";

const MARK = "[REDACTED]";
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const bodyArbitrary = fc.string({
  unit: fc.constantFrom(...BASE64URL),
  minLength: 1,
  maxLength: 60,
});
const prefixArbitrary = fc.constantFrom(...Object.values(CREDENTIAL_PREFIXES));
// Text around a credential: anything but base64url characters, so the credential ends where the text begins.
const aroundArbitrary = fc.string({
  unit: fc.constantFrom(" ", "=", ":", "/", "\n", "é", "(", "…"),
});

describe("maskCredentials", () => {
  it("masks every credential of every call, one text after another (its shared pattern keeps no state)", () => {
    for (let round = 0; round < 3; round++) {
      expect(maskCredentials("x ast_tok_a y ass_live_b", MARK)).toBe(
        `x ast_tok_${MARK} y ass_live_${MARK}`,
      );
      expect(maskCredentials("ass_metrics_c", MARK)).toBe(`ass_metrics_${MARK}`);
    }
  });

  it("keeps the prefix and masks the body of each credential", () => {
    expect(maskCredentials("DELETE /v1/tokens/ast_tok_abc-DEF_1 failed", MARK)).toBe(
      "DELETE /v1/tokens/ast_tok_[REDACTED] failed",
    );
    expect(maskCredentials("a=ass_live_x b=ass_admin_y", MARK)).toBe(
      "a=ass_live_[REDACTED] b=ass_admin_[REDACTED]",
    );
  });

  it("masks a credential glued to a word or written in another case", () => {
    expect(maskCredentials("my_ast_tok_secretish", MARK)).toBe(`my_ast_tok_${MARK}`);
    expect(maskCredentials("AST_TOK_SECRETISH", MARK)).toBe(`AST_TOK_${MARK}`);
  });

  it("leaves a bare prefix alone, as in 'a token (ast_tok_…)'", () => {
    expect(maskCredentials("needs a token (ast_tok_…)", MARK)).toBe("needs a token (ast_tok_…)");
  });

  test.prop([aroundArbitrary, prefixArbitrary, bodyArbitrary, aroundArbitrary])(
    "never leaves a credential's body in the text",
    (before, prefix, body, after) => {
      const masked = maskCredentials(`${before}${prefix}${body}${after}`, MARK);
      expect(masked).toBe(`${before}${prefix}${MARK}${after}`);
    },
  );

  it("gives a fresh pattern each call, so no lastIndex carries over", () => {
    const first = credentialPattern();
    first.exec("ast_tok_abc");
    expect(first.lastIndex).toBeGreaterThan(0);
    expect(credentialPattern().lastIndex).toBe(0);
  });
});

describe("credential prefixes", () => {
  it("names the kind of each prefix", () => {
    expect(credentialKindByPrefix("ass_live_x")).toBe("agent");
    expect(credentialKindByPrefix("ass_admin_x")).toBe("admin");
    expect(credentialKindByPrefix("ast_tok_x")).toBe("token");
    expect(credentialKindByPrefix("tok_x")).toBeNull();
  });

  it("spots a credential where an id belongs, in any case", () => {
    expect(looksLikeCredential("AST_TOK_abc")).toBe(true);
    expect(looksLikeCredential("tok_123")).toBe(false);
  });
});
