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

// The `deno` npm package (a dev dependency) installs the Deno binary itself.
const DENO = join(PACKAGE_ROOT, "node_modules/.bin/deno");

let vault: RuntimeVault;
beforeAll(async () => {
  vault = await startRuntimeVault();
});
afterAll(async () => {
  await vault?.close();
});

describe("the main entry under Deno", () => {
  it("runs the quick start with network access to the vault's address only", async () => {
    const config = vault.config("deno");
    const file = await bundleQuickStart(
      vault.scratch,
      `console.log(JSON.stringify(await quickStart(${JSON.stringify(config)})));`,
    );
    // Deno's permissions prove the client needs nothing else: no env, no files, no other host.
    const result = await run(
      DENO,
      ["run", "--no-prompt", "--no-config", `--allow-net=127.0.0.1:${vault.port}`, file],
      {
        cwd: vault.scratch,
        env: childEnvironment(vault.scratch, {
          DENO_DIR: join(vault.scratch, "deno-cache"),
          DENO_NO_UPDATE_CHECK: "1",
          NO_COLOR: "1",
        }),
        timeoutMs: 60_000,
      },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    await expectQuickStartWorked(vault, config, lastReport(result.stdout), "deno");
  }, 90_000);
});
