import { join } from "node:path";
import { describe, it } from "vitest";
import { expectCommandLineQuickStart, PACKAGE_ROOT, useRuntimeVault } from "./runtime-harness.js";

// The `bun` npm package (a dev dependency) installs the Bun binary itself.
const BUN = join(PACKAGE_ROOT, "node_modules/.bin/bun");
const vault = useRuntimeVault();

describe("the main entry under Bun", () => {
  it("runs the quick start against a real vault on loopback", async () => {
    await expectCommandLineQuickStart(vault(), "bun", BUN, (file) => ["run", file]);
  }, 90_000);
});
