import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  fromHostedScope,
  mayReadBelow,
  NAMESPACES_READ,
  parseScope,
  requiredScope,
  type Scope,
  type ScopeAction,
  scopeAllows,
  scopesAllow,
  scopesListNamespaces,
  scopesWithin,
  scopeWithin,
} from "./scope.js";

const ACTIONS: readonly ScopeAction[] = ["read", "write", "delete", "use"];

function scope(text: string): Scope {
  const result = parseScope(text);
  if (!result.ok) throw new Error(result.message);
  return result.scope;
}

function rejectionOf(text: string): string {
  const result = parseScope(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  return result.message;
}

// A small alphabet makes random patterns and paths collide often; "c" never appears in a pattern,
// so it stands for "any other segment".
const actionArbitrary = fc.constantFrom<ScopeAction>(...ACTIONS);
const scopeActionArbitrary = fc.constantFrom<ScopeAction | "*">(...ACTIONS, "*");
const patternArbitrary = fc.array(fc.constantFrom("a", "b", "*"), { minLength: 1, maxLength: 4 });
const scopeArbitrary = fc
  .tuple(scopeActionArbitrary, patternArbitrary)
  .map(([action, pattern]) => scope(`secrets:${action}:${pattern.join("/")}`));
const smallPathArbitrary = fc
  .array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 6 })
  .map((segments) => segments.join("/"));

/** Every path over {a, b, c} with 1..6 segments: enough to witness any difference between patterns of ≤ 4 segments. */
const ALL_SMALL_PATHS: readonly string[] = (() => {
  const paths: string[] = [];
  let layer = [""];
  for (let length = 1; length <= 6; length += 1) {
    layer = layer.flatMap((prefix) => ["a", "b", "c"].map((s) => (prefix ? `${prefix}/${s}` : s)));
    paths.push(...layer);
  }
  return paths;
})();

describe("parseScope", () => {
  it("parses action and pattern", () => {
    expect(parseScope("secrets:read:production/openai/*")).toEqual({
      ok: true,
      scope: {
        text: "secrets:read:production/openai/*",
        resource: "secrets",
        action: "read",
        pattern: ["production", "openai", "*"],
      },
    });
    expect(scope("secrets:*:*")).toMatchObject({ action: "*", pattern: ["*"] });
    expect(scope("secrets:delete:a/*/c")).toMatchObject({
      action: "delete",
      pattern: ["a", "*", "c"],
    });
  });

  it.each([
    ["secrets:read:prod*", "exactly '*'"],
    ["secrets:read:**", "exactly '*'"],
    ["secrets:read:a/*x", "exactly '*'"],
    ["secrets:read:a/*/**", "exactly '*'"],
    ["secrets:admin:a", "read, write, delete"],
    ["secrets:Read:a", "read, write, delete"],
    ["secret:read:a", "secrets:<read|write|delete|use|*>:<pattern>"],
    ["secrets:read", "secrets:<read|write|delete|use|*>:<pattern>"],
    ["secrets:read:a:b", "secrets:<read|write|delete|use|*>:<pattern>"],
    ["secrets:read:", "must not be empty"],
    ["secrets:read:a/../b", "'..'"],
    ["secrets:read:a//b", "empty segment"],
    ["secrets:read:a/", "trailing"],
    ["secrets:read:%2e%2e", "'%'"],
    [" secrets:read:a", "secrets:<read|write|delete|use|*>:<pattern>"],
  ])("rejects %j (%s)", (text, expected) => {
    expect(rejectionOf(text)).toContain(expected);
  });

  test.prop([fc.string({ unit: fc.constantFrom(..."ab*"), minLength: 2, maxLength: 6 })])(
    "rejects every segment that mixes '*' with anything else",
    (segment) => {
      fc.pre(segment.includes("*") && segment !== "*");
      expect(parseScope(`secrets:read:x/${segment}`).ok).toBe(false);
      expect(parseScope(`secrets:read:${segment}/x`).ok).toBe(false);
    },
  );
});

describe("scopeAllows", () => {
  const openai = scope("secrets:read:production/openai/*");

  it("lets a last '*' match one or more remaining segments", () => {
    expect(scopeAllows(openai, "read", "production/openai/api-key")).toBe(true);
    expect(scopeAllows(openai, "read", "production/openai/org/key")).toBe(true);
  });

  it("never matches the namespace itself nor a sibling that shares a prefix", () => {
    expect(scopeAllows(openai, "read", "production/openai")).toBe(false);
    expect(scopeAllows(openai, "read", "production/openai-evil/x")).toBe(false);
    expect(scopeAllows(openai, "read", "production/openaix")).toBe(false);
    expect(scopeAllows(openai, "read", "staging/openai/api-key")).toBe(false);
  });

  it("lets a middle '*' match exactly one segment", () => {
    const middle = scope("secrets:read:*/openai/api-key");
    expect(scopeAllows(middle, "read", "production/openai/api-key")).toBe(true);
    expect(scopeAllows(middle, "read", "a/b/openai/api-key")).toBe(false);
    expect(scopeAllows(middle, "read", "openai/api-key")).toBe(false);
  });

  it("matches an exact pattern only on that path", () => {
    const exact = scope("secrets:read:production/openai/api-key");
    expect(scopeAllows(exact, "read", "production/openai/api-key")).toBe(true);
    expect(scopeAllows(exact, "read", "production/openai/api-key/x")).toBe(false);
    expect(scopeAllows(exact, "read", "production/openai/API-KEY")).toBe(false);
  });

  it("lets a lone '*' cover every path", () => {
    expect(scopeAllows(scope("secrets:read:*"), "read", "a")).toBe(true);
    expect(scopeAllows(scope("secrets:read:*"), "read", "a/b/c/d")).toBe(true);
  });

  it("keeps actions apart: write does not imply read, '*' allows all four", () => {
    const write = scope("secrets:write:production/*");
    expect(scopeAllows(write, "write", "production/x")).toBe(true);
    expect(scopeAllows(write, "read", "production/x")).toBe(false);
    expect(scopeAllows(write, "delete", "production/x")).toBe(false);
    for (const action of ACTIONS) {
      expect(scopeAllows(scope("secrets:*:production/*"), action, "production/x")).toBe(true);
    }
  });

  it.each([
    "production/openai/../../admin",
    "production/openai//x",
    "production/openai/x/",
    "production/openai/%2e%2e",
    "",
  ])("never allows the invalid path %j", (path) => {
    expect(scopeAllows(scope("secrets:*:*"), "read", path)).toBe(false);
  });

  it("denies by default when no scope is given", () => {
    expect(scopesAllow([], "read", "a")).toBe(false);
    expect(scopesAllow([scope("secrets:write:a"), scope("secrets:read:a")], "read", "a")).toBe(
      true,
    );
  });

  const segmentArbitrary = fc.constantFrom(
    "production",
    "openai",
    "openai-evil",
    "api-key",
    "org",
    "x.y",
  );
  test.prop([fc.array(segmentArbitrary, { minLength: 1, maxLength: 6 })])(
    "production/openai/* allows a path exactly when it starts with production/openai/ and has ≥ 3 segments",
    (segments) => {
      const path = segments.join("/");
      const expected = path.startsWith("production/openai/") && segments.length >= 3;
      expect(scopeAllows(openai, "read", path)).toBe(expected);
    },
  );

  test.prop([
    fc.array(segmentArbitrary, { minLength: 1, maxLength: 5 }),
    fc.constantFrom("..", ".", "", "%2e%2e", "a\u0000"),
  ])(
    "never allows a path with a dot, empty, escaped or control segment, even under '*'",
    (segments, bad) => {
      const path = ["production", "openai", bad, ...segments].join("/");
      expect(scopeAllows(scope("secrets:*:*"), "read", path)).toBe(false);
    },
  );
});

describe("scopeWithin and scopesWithin", () => {
  it("contains a narrower pattern in a wider one, never the reverse", () => {
    const wide = scope("secrets:read:production/*");
    const narrow = scope("secrets:read:production/openai/*");
    expect(scopeWithin(narrow, wide)).toBe(true);
    expect(scopeWithin(wide, narrow)).toBe(false);
    expect(scopeWithin(scope("secrets:read:production/openai/api-key"), narrow)).toBe(true);
    expect(scopeWithin(scope("secrets:read:production/openai"), narrow)).toBe(false);
    expect(scopeWithin(scope("secrets:read:production/openai-evil/*"), narrow)).toBe(false);
  });

  it("does not let a growing pattern fit into a fixed-length one", () => {
    expect(scopeWithin(scope("secrets:read:a/*"), scope("secrets:read:a/*/b"))).toBe(false);
    expect(scopeWithin(scope("secrets:read:a/*/b"), scope("secrets:read:a/*"))).toBe(true);
    expect(scopeWithin(scope("secrets:read:*/b"), scope("secrets:read:a/b"))).toBe(false);
  });

  it("requires the parent's action to cover the child's", () => {
    expect(scopeWithin(scope("secrets:read:a"), scope("secrets:*:a"))).toBe(true);
    expect(scopeWithin(scope("secrets:*:a"), scope("secrets:read:a"))).toBe(false);
    expect(scopeWithin(scope("secrets:write:a"), scope("secrets:read:a"))).toBe(false);
  });

  it("lets use lie within read, never read within use", () => {
    expect(scopeWithin(scope("secrets:use:a"), scope("secrets:read:a"))).toBe(true);
    expect(scopeWithin(scope("secrets:use:a"), scope("secrets:*:a"))).toBe(true);
    expect(scopeWithin(scope("secrets:read:a"), scope("secrets:use:a"))).toBe(false);
    expect(scopeWithin(scope("secrets:use:a"), scope("secrets:write:a"))).toBe(false);
  });

  it("checks every child against the ceiling, and '*' children action by action", () => {
    const ceiling = [
      scope("secrets:read:a/*"),
      scope("secrets:write:a/*"),
      scope("secrets:delete:a/*"),
    ];
    expect(scopesWithin([scope("secrets:*:a/b")], ceiling)).toBe(true);
    expect(scopesWithin([scope("secrets:read:a/b"), scope("secrets:read:b")], ceiling)).toBe(false);
    expect(scopesWithin([scope("secrets:*:a/b")], ceiling.slice(0, 2))).toBe(false);
    expect(scopesWithin([], ceiling)).toBe(true);
    expect(scopesWithin([scope("secrets:read:a")], [])).toBe(false);
  });

  test.prop([scopeArbitrary, scopeArbitrary, actionArbitrary, smallPathArbitrary])(
    "a child within its parent never allows what the parent does not",
    (child, parent, action, path) => {
      if (scopeWithin(child, parent) && scopeAllows(child, action, path)) {
        expect(scopeAllows(parent, action, path)).toBe(true);
      }
    },
  );

  test.prop([scopeArbitrary, scopeArbitrary])(
    "is exactly containment of what the two scopes allow (checked on every small path)",
    (child, parent) => {
      const contained = ACTIONS.every((action) =>
        ALL_SMALL_PATHS.every(
          (path) => !scopeAllows(child, action, path) || scopeAllows(parent, action, path),
        ),
      );
      expect(scopeWithin(child, parent)).toBe(contained);
    },
  );

  test.prop([
    fc.array(scopeArbitrary, { maxLength: 3 }),
    fc.array(scopeArbitrary, { maxLength: 3 }),
    actionArbitrary,
    smallPathArbitrary,
  ])(
    "children within a ceiling never allow what the ceiling does not",
    (children, ceiling, action, path) => {
      if (scopesWithin(children, ceiling) && scopesAllow(children, action, path)) {
        expect(scopesAllow(ceiling, action, path)).toBe(true);
      }
    },
  );
});

describe("requiredScope", () => {
  it("names the exact action and path", () => {
    expect(requiredScope("read", "production/openai/api-key")).toBe(
      "secrets:read:production/openai/api-key",
    );
    expect(scopeAllows(scope(requiredScope("delete", "a/b")), "delete", "a/b")).toBe(true);
  });
});

describe("mayReadBelow", () => {
  it("answers for namespaces above, at and beside a scope's pattern", () => {
    const scopes = [scope("secrets:read:production/openai/*")];
    expect(mayReadBelow(scopes, "")).toBe(true);
    expect(mayReadBelow(scopes, "production")).toBe(true);
    expect(mayReadBelow(scopes, "production/openai")).toBe(true);
    expect(mayReadBelow(scopes, "production/openai/org")).toBe(true);
    expect(mayReadBelow(scopes, "production/openai-evil")).toBe(false);
    expect(mayReadBelow(scopes, "staging")).toBe(false);
  });

  it("ignores scopes that cannot read and exact patterns at or above the namespace", () => {
    expect(mayReadBelow([scope("secrets:write:*")], "")).toBe(false);
    expect(mayReadBelow([scope("secrets:read:production/openai")], "production/openai")).toBe(
      false,
    );
    expect(mayReadBelow([scope("secrets:read:production/openai")], "production")).toBe(true);
    expect(mayReadBelow([], "")).toBe(false);
    expect(mayReadBelow([scope("secrets:*:*")], "a//b")).toBe(false);
  });

  const namespaceArbitrary = fc
    .array(fc.constantFrom("a", "b", "c"), { maxLength: 3 })
    .map((segments) => segments.join("/"));
  test.prop([fc.array(scopeArbitrary, { maxLength: 3 }), namespaceArbitrary])(
    "is true exactly when some path strictly below the namespace is readable (checked on every small path)",
    (scopes, namespace) => {
      const below = ALL_SMALL_PATHS.filter((path) =>
        namespace === "" ? true : path.startsWith(`${namespace}/`),
      );
      const readable = below.some((path) => scopesAllow(scopes, "read", path));
      expect(mayReadBelow(scopes, namespace)).toBe(readable);
    },
  );
});

describe("namespaces:read", () => {
  const namespaces = scope(NAMESPACES_READ);

  it("parses as a scope that covers no secret", () => {
    expect(namespaces).toEqual({
      text: "namespaces:read",
      resource: "namespaces",
      action: "read",
      pattern: [],
    });
    for (const action of ["read", "write", "delete"] as const) {
      expect(scopeAllows(namespaces, action, "production/openai/api-key")).toBe(false);
      expect(scopeAllows(namespaces, action, "a")).toBe(false);
    }
    expect(mayReadBelow([namespaces], "")).toBe(false);
    expect(mayReadBelow([namespaces], "production")).toBe(false);
  });

  it("lies within itself or a ceiling that reads everything, nothing narrower", () => {
    expect(scopesWithin([namespaces], [namespaces])).toBe(true);
    expect(scopesWithin([namespaces], [scope("secrets:read:*")])).toBe(true);
    expect(scopesWithin([namespaces], [scope("secrets:*:*")])).toBe(true);
    expect(scopesWithin([namespaces], [scope("secrets:read:production/*")])).toBe(false);
    expect(scopesWithin([namespaces], [scope("secrets:write:*")])).toBe(false);
    expect(scopesWithin([scope("secrets:read:a/*")], [namespaces])).toBe(false);
    expect(scopesWithin([scope("secrets:*:*")], [namespaces])).toBe(false);
  });

  it("is what lets scopes list namespaces", () => {
    expect(scopesListNamespaces([namespaces])).toBe(true);
    expect(scopesListNamespaces([scope("secrets:read:*")])).toBe(true);
    expect(scopesListNamespaces([scope("secrets:read:production/*")])).toBe(false);
    expect(scopesListNamespaces([scope("secrets:delete:*")])).toBe(false);
    expect(scopesListNamespaces([])).toBe(false);
  });

  it("rejects look-alikes", () => {
    for (const text of ["namespaces:write", "namespaces:read:production", "Namespaces:read"]) {
      expect(parseScope(text).ok, text).toBe(false);
    }
  });
});

describe("fromHostedScope", () => {
  it("translates the hosted product's names into this grammar", () => {
    expect(fromHostedScope("read:secrets")).toEqual(["secrets:read:*"]);
    expect(fromHostedScope("write:secrets")).toEqual(["secrets:write:*"]);
    expect(fromHostedScope("rotate:secrets")).toEqual(["secrets:write:*"]);
    expect(fromHostedScope("import:secrets")).toEqual(["secrets:write:*"]);
    expect(fromHostedScope("delete:secrets")).toEqual(["secrets:delete:*"]);
    expect(fromHostedScope("read:secrets", ["production", "staging/eu"])).toEqual([
      "secrets:read:production/*",
      "secrets:read:staging/eu/*",
    ]);
    for (const translated of fromHostedScope("read:secrets", ["production"]) ?? []) {
      expect(parseScope(translated).ok).toBe(true);
    }
  });

  it("leaves every other text alone", () => {
    for (const text of ["secrets:read:*", "manage:agents", "toString", "read:secret", ""]) {
      expect(fromHostedScope(text), text).toBeUndefined();
    }
  });

  it("says why manage:agents is refused", () => {
    expect(parseScope("manage:agents")).toEqual({
      ok: false,
      message: expect.stringContaining("admin keys manage agents"),
    });
  });
});
