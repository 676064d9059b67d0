import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { patternCovers, type ScopeAction, scopeCovers } from "./scope.js";
import { SCOPE_CASES } from "./scope-cases.js";

/**
 * An independent statement of the rule, as a regular expression built from the grammar's words:
 * a `*` segment is one segment, a last `*` one or more. It knows nothing of validation, so it is
 * compared only on valid scopes and paths.
 */
function referenceAllows(scope: string, action: ScopeAction, path: string): boolean {
  const [, scopeAction, pattern] = scope.split(":") as [string, string, string];
  const implied = scopeAction === "read" && action === "use";
  if (scopeAction !== "*" && scopeAction !== action && !implied) return false;
  const segments = pattern.split("/");
  const last = segments.length - 1;
  const source = segments
    .map((segment, index) => {
      if (segment !== "*") return segment.replace(/[.]/g, "\\.");
      return index === last ? "[^/]+(?:/[^/]+)*" : "[^/]+";
    })
    .join("/");
  return new RegExp(`^${source}$`).test(path);
}

describe("SCOPE_CASES", () => {
  it.each(SCOPE_CASES)("$scope on $action $path: $allowed", ({ scope, action, path, allowed }) => {
    expect(scopeCovers(scope, action, path)).toBe(allowed);
  });

  it("holds cases of both outcomes", () => {
    expect(SCOPE_CASES.some((entry) => entry.allowed)).toBe(true);
    expect(SCOPE_CASES.some((entry) => !entry.allowed)).toBe(true);
  });
});

const segmentArbitrary = fc.constantFrom("a", "b", "a.b", "x-1");
const actionArbitrary = fc.constantFrom<ScopeAction>("read", "write", "delete", "use");
const validScopeArbitrary = fc
  .tuple(
    fc.constantFrom("read", "write", "delete", "use", "*"),
    fc.array(fc.oneof(segmentArbitrary, fc.constant("*")), { minLength: 1, maxLength: 4 }),
  )
  .map(([action, pattern]) => `secrets:${action}:${pattern.join("/")}`);
const validPathArbitrary = fc
  .array(segmentArbitrary, { minLength: 1, maxLength: 6 })
  .map((segments) => segments.join("/"));

describe("the one matcher", () => {
  test.prop([validScopeArbitrary, actionArbitrary, validPathArbitrary], { numRuns: 2000 })(
    "allows exactly what the grammar's reference allows, in both directions",
    (scope, action, path) => {
      expect(scopeCovers(scope, action, path)).toBe(referenceAllows(scope, action, path));
    },
  );

  test.prop([validScopeArbitrary, validPathArbitrary])(
    "patternCovers is scopeCovers without the action",
    (scope, path) => {
      const pattern = scope.split(":")[2]!;
      expect(patternCovers(pattern, path)).toBe(scopeCovers(`secrets:*:${pattern}`, "read", path));
    },
  );

  test.prop([
    validScopeArbitrary,
    actionArbitrary,
    validPathArbitrary,
    fc.constantFrom("..", ".", "", "%2e"),
  ])("never covers a path with a dot, empty or encoded segment", (scope, action, path, bad) => {
    expect(scopeCovers(scope, action, `${path}/${bad}`)).toBe(false);
    expect(scopeCovers(scope, action, `${bad}/${path}`)).toBe(false);
  });
});
