import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { checkNamespace, checkSecretPath, decodePathParam } from "./secret-path.js";

const SEGMENT_CHARACTERS = [..."abcXYZ019._-"];
const segmentArbitrary = fc
  .string({ unit: fc.constantFrom(...SEGMENT_CHARACTERS), minLength: 1, maxLength: 12 })
  .filter((segment) => segment !== "." && segment !== "..");
const validPathArbitrary = fc
  .array(segmentArbitrary, { minLength: 1, maxLength: 16 })
  .map((segments) => segments.join("/"));

/** An independent statement of docs/protocol.md's rule, to compare the implementation against. */
function isValidPath(text: string): boolean {
  if (text.length < 1 || text.length > 512) return false;
  const segments = text.split("/");
  if (segments.length > 16) return false;
  return segments.every(
    (segment) => /^[A-Za-z0-9._-]{1,128}$/.test(segment) && segment !== "." && segment !== "..",
  );
}

function rejectionOf(raw: string): string {
  const result = checkSecretPath(raw);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
  return result.message;
}

/** What the server does with a URL's path part: decode once, then validate. */
function acceptsUrlPart(rawUrlPart: string): boolean {
  const decoded = decodePathParam(rawUrlPart);
  return decoded.ok && checkSecretPath(decoded.value).ok;
}

describe("checkSecretPath", () => {
  it("splits a valid path into namespace, key and segments", () => {
    expect(checkSecretPath("production/openai/api-key")).toEqual({
      ok: true,
      path: {
        full: "production/openai/api-key",
        namespace: "production/openai",
        key: "api-key",
        segments: ["production", "openai", "api-key"],
      },
    });
  });

  it("gives a one-segment path the empty namespace", () => {
    const result = checkSecretPath("DATABASE_URL");
    expect(result.ok && result.path.namespace).toBe("");
    expect(result.ok && result.path.key).toBe("DATABASE_URL");
  });

  it("accepts dots inside segments and the limits exactly", () => {
    expect(checkSecretPath("a/.env/v1.2/..x").ok).toBe(true);
    expect(checkSecretPath(Array(16).fill("s").join("/")).ok).toBe(true);
    expect(checkSecretPath("k".repeat(128)).ok).toBe(true);
    expect(checkSecretPath(Array(4).fill("k".repeat(127)).join("/")).ok).toBe(true); // 511 characters
  });

  it.each([
    ["a//b", "empty segment"],
    ["a/./b", "'.'"],
    ["a/../b", "'..'"],
    ["..", "'..'"],
    ["a/", "trailing"],
    ["/a", "leading"],
    ["%2e%2e", "'%'"],
    ["a/%2Fb", "'%'"],
    ["a\u0000b", "control character (U+0000)"],
    ["a\nb", "control character (U+000A)"],
    ["a b", "whitespace (U+0020)"],
    ["caf\u00e9", "U+00E9"],
    ["a\\b", "'\\'"],
    ["a/*", "'*'"],
    ["", "must not be empty"],
  ])("rejects %j and says what is wrong (%s)", (raw, expected) => {
    expect(rejectionOf(raw)).toContain(expected);
  });

  it("rejects too many segments, too-long segments and too-long paths", () => {
    expect(rejectionOf(Array(17).fill("s").join("/"))).toContain("at most 16");
    expect(rejectionOf("k".repeat(129))).toContain("at most 128");
    expect(rejectionOf(Array(5).fill("k".repeat(102)).join("/"))).toContain("at most 512");
  });

  it("never echoes a control character in its message", () => {
    expect(rejectionOf("a\u001b[31mred")).not.toContain("\u001b");
  });

  it("rejects a value that is not a string instead of throwing", () => {
    expect(checkSecretPath(42 as unknown as string).ok).toBe(false);
  });

  test.prop([validPathArbitrary])("accepts every valid path unchanged", (raw) => {
    const result = checkSecretPath(raw);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.path.full).toBe(raw);
      expect(result.path.segments.join("/")).toBe(raw);
      const namespace = result.path.namespace === "" ? "" : `${result.path.namespace}/`;
      expect(namespace + result.path.key).toBe(raw);
    }
  });

  const hostileUnit = fc.constantFrom(
    ..."ab.-_/%*: \\?#",
    "\u0000",
    "\t",
    "\u007f",
    "\u2028",
    "é",
    "\u{1F511}",
    "..",
    "//",
  );
  test.prop([fc.string({ unit: hostileUnit, maxLength: 24 })])(
    "accepts a string exactly when it follows the rules, and never rewrites it",
    (raw) => {
      const result = checkSecretPath(raw);
      expect(result.ok).toBe(isValidPath(raw));
      if (result.ok) expect(result.path.full).toBe(raw);
    },
  );

  const injection = fc.constantFrom(
    "..",
    ".",
    "",
    "%2e%2e",
    "%2F",
    "a%",
    "\u0000",
    "a\u001fb",
    " ",
  );
  test.prop([fc.array(segmentArbitrary, { minLength: 0, maxLength: 6 }), fc.nat(6), injection])(
    "rejects any valid path with a dot segment, empty segment, '%' or control character spliced in",
    (segments, at, bad) => {
      const spliced = [...segments];
      spliced.splice(Math.min(at, spliced.length), 0, bad);
      expect(checkSecretPath(spliced.join("/")).ok).toBe(false);
    },
  );

  test.prop([validPathArbitrary])(
    "rejects a valid path with a trailing or leading slash",
    (raw) => {
      expect(checkSecretPath(`${raw}/`).ok).toBe(false);
      expect(checkSecretPath(`/${raw}`).ok).toBe(false);
    },
  );
});

describe("checkNamespace", () => {
  it("accepts the empty namespace as the whole tenant", () => {
    expect(checkNamespace("")).toEqual({ ok: true, namespace: "" });
  });

  it("accepts a namespace with the path rules", () => {
    expect(checkNamespace("production/openai")).toEqual({
      ok: true,
      namespace: "production/openai",
    });
  });

  it.each(["production/", "a//b", "a/../b", "prod*", "%2e", "a b"])("rejects %j", (raw) => {
    const result = checkNamespace(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^namespace /);
  });
});

describe("decodePathParam", () => {
  it("decodes literal slashes and one encoded segment to the same path", () => {
    expect(decodePathParam("production/openai/api-key")).toEqual({
      ok: true,
      value: "production/openai/api-key",
    });
    expect(decodePathParam("production%2Fopenai%2Fapi-key")).toEqual({
      ok: true,
      value: "production/openai/api-key",
    });
    expect(decodePathParam("production%2fopenai/api-key")).toEqual({
      ok: true,
      value: "production/openai/api-key",
    });
  });

  it.each(["%", "%zz", "abc%2", "%E0%A4%A"])("rejects the malformed escape %j", (raw) => {
    const result = decodePathParam(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain("malformed percent-escape");
  });

  it.each([
    "..%2Fadmin",
    "%2e%2e",
    "%2E%2E/secret",
    "a/%2e/b",
    "a%2F%2Fb",
    "a%2F",
    "%2Fa",
    "%252e%252e",
    "a/%2525",
    "a%00b",
    "a%0Ab",
    "a%20b",
    "caf%C3%A9",
  ])("rejects %j once decoded and validated", (raw) => {
    expect(acceptsUrlPart(raw)).toBe(false);
  });

  test.prop([validPathArbitrary])(
    "decodes a valid path the same whether its slashes are literal or encoded",
    (raw) => {
      const encoded = encodeURIComponent(raw);
      expect(decodePathParam(encoded)).toEqual({ ok: true, value: raw });
      expect(decodePathParam(raw)).toEqual({ ok: true, value: raw });
    },
  );

  test.prop([validPathArbitrary])(
    "rejects a double-encoded path (decoded once, '%' remains)",
    (raw) => {
      const everyCharacterEncoded = [...raw]
        .map((character) => `%${character.charCodeAt(0).toString(16).padStart(2, "0")}`)
        .join("");
      expect(acceptsUrlPart(everyCharacterEncoded)).toBe(true);
      expect(acceptsUrlPart(encodeURIComponent(everyCharacterEncoded))).toBe(false);
    },
  );
});
