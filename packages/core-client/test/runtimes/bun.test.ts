import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bundleQuickStart,
  childEnvironment,
  expectQuickStartWorked,
  lastReport,
  PACKAGE_ROOT,
  type RuntimeVault,
  run,
  startRuntimeVault,
} from "./runtime-harness.js";

// The `bun` npm package (a dev dependency) installs the Bun binary itself.
const BUN = join(PACKAGE_ROOT, "node_modules/.bin/bun");

let vault: RuntimeVault;
beforeAll(async () => {
  vault = await startRuntimeVault();
});
afterAll(async () => {
  await vault?.close();
});

describe("the main entry under Bun", () => {
  it("runs the quick start against a real vault on loopback", async () => {
    const config = vault.config("bun");
    const file = await bundleQuickStart(
      vault.scratch,
      `console.log(JSON.stringify(await quickStart(${JSON.stringify(config)})));`,
    );
    const result = await run(BUN, ["run", file], {
      cwd: vault.scratch,
      env: childEnvironment(vault.scratch),
      timeoutMs: 60_000,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    await expectQuickStartWorked(vault, config, lastReport(result.stdout), "bun");
  }, 90_000);
});
