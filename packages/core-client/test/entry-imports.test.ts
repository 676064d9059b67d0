import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
// The private protocol package is bundled into the build, so its sources count as the client's.
const BUNDLED: Readonly<Record<string, string>> = {
  "@agentsecretstore/protocol": resolve(SOURCE, "../../protocol/src/index.ts"),
};

/** Every module specifier a TypeScript file imports or re-exports (static and dynamic). */
function specifiersOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  // The lookbehinds skip words that merely end in "import", such as the URL "/secrets/import".
  const pattern =
    /(?<![\w$./])(?:import|export)\s[^"']*?from\s*["']([^"']+)["']|(?<![\w$./])import\(\s*["']([^"']+)["']\s*\)|(?<![\w$./])import\s*["']([^"']+)["']/g;
  return [...text.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? "");
}

/** Files reachable from `entry` through relative imports, and every bare specifier they use. */
function importGraph(entry: string) {
  const files = new Set<string>();
  const external = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of specifiersOf(file)) {
      const bundled = BUNDLED[specifier];
      if (bundled !== undefined) {
        pending.push(bundled);
      } else if (specifier.startsWith(".")) {
        pending.push(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      } else {
        external.add(specifier);
      }
    }
  }
  return { files, external };
}

describe.each(["admin/index.ts", "cache/index.ts", "import/index.ts", "orchestrator/index.ts"])(
  "the %s entry",
  (entry) => {
    const { files, external } = importGraph(resolve(SOURCE, entry));

    it("imports no node: module and no package at all", () => {
      expect(files.size).toBeGreaterThan(2);
      expect([...external]).toEqual([]);
    });
  },
);

describe("the main entry", () => {
  const { files, external } = importGraph(resolve(SOURCE, "index.ts"));

  it("reaches the client's modules", () => {
    expect(files.size).toBeGreaterThan(10);
    expect([...files].some((file) => file.endsWith("request-pipeline.ts"))).toBe(true);
  });

  it("bundles the protocol package's sources", () => {
    expect([...files].some((file) => file.endsWith("protocol/src/scope.ts"))).toBe(true);
  });

  it("imports no node: module and no package at all", () => {
    expect([...external]).toEqual([]);
  });

  it("reaches no test file", () => {
    expect([...files].filter((file) => file.endsWith(".test.ts"))).toEqual([]);
  });

  it("leaves the admin client, the cache, the .env import and the orchestrator to their own entry points", () => {
    const names = [...files].map((file) => file.slice(SOURCE.length + 1));
    expect(names).not.toContain("import-secrets.ts");
    expect(names).not.toContain("internal/dotenv-values.ts");
    expect(names).not.toContain("vault-admin.ts");
    expect(names).not.toContain("orchestrator.ts");
    expect(names).not.toContain("internal/secret-cache.ts");
  });
});
