import { join } from "node:path";
import { describe, it } from "vitest";
import { expectCommandLineQuickStart, PACKAGE_ROOT, useRuntimeVault } from "./runtime-harness.js";

// The `deno` npm package (a dev dependency) installs the Deno binary itself.
const DENO = join(PACKAGE_ROOT, "node_modules/.bin/deno");
const vault = useRuntimeVault();

describe("the main entry under Deno", () => {
  it("runs the quick start with network access to the vault's address only", async () => {
    const { port, scratch } = vault();
    // Deno's permissions prove the client needs nothing else: no env, no files, no other host.
    await expectCommandLineQuickStart(
      vault(),
      "deno",
      DENO,
      (file) => ["run", "--no-prompt", "--no-config", `--allow-net=127.0.0.1:${port}`, file],
      { DENO_DIR: join(scratch, "deno-cache"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    );
  }, 90_000);
});
