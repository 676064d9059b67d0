import { describe, expect, it } from "vitest";
import { bundleClient } from "../support/bundle-client.js";

// A bundler targeting browsers resolves the main entry with nothing left to import: no Node
// built-in (`node:fs`, `crypto`, `buffer`…) and no package, so no polyfill is needed.
describe("the main entry bundled for the browser platform", () => {
  it("needs no Node built-in and no package", async () => {
    const bundle = await bundleClient({
      entry: 'export * from "./index.ts";',
      platform: "browser",
      minify: false,
    });
    expect(bundle.external).toEqual([]);
    expect(bundle.code).toContain("var AgentVault = class");
    expect(bundle.code).not.toMatch(/\brequire\(|from\s*["']node:|import\(\s*["']node:/);
  });

  it("would notice a Node built-in if one crept in", async () => {
    const bundle = await bundleClient({
      entry: 'export { AgentVault } from "./index.ts"; export { inspect } from "node:util";',
      platform: "browser",
    });
    expect(bundle.external).toEqual(["node:util"]);
  });
});
