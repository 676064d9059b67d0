import { readFile } from "node:fs/promises";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import type { QuickStartReport } from "./quick-start.js";
import { bundleQuickStart, expectQuickStartWorked, useRuntimeVault } from "./runtime-harness.js";

// workerd, the runtime of Cloudflare Workers, run locally by miniflare 3 (a dev dependency
// that installs the workerd binary). The worker's fetch() reaches the vault over loopback.
const runningVault = useRuntimeVault();
let miniflare: Miniflare | undefined;
afterAll(async () => {
  await miniflare?.dispose();
});

describe("the main entry in workerd", () => {
  it("runs the quick start in a worker against a real vault on loopback", async () => {
    const vault = runningVault();
    const config = vault.config("workerd");
    const file = await bundleQuickStart(
      vault.scratch,
      `export default { async fetch() { return Response.json(await quickStart(${JSON.stringify(config)})); } };`,
    );
    miniflare = new Miniflare({
      modules: true,
      script: await readFile(file, "utf8"),
      scriptPath: file,
      // Module names are relative to this root; the bundle lives in the scratch folder.
      modulesRoot: vault.scratch,
      compatibilityDate: "2025-07-01",
    });
    const response = await miniflare.dispatchFetch("http://worker.test/");
    const text = await response.text();
    expect(response.status, text).toBe(200);
    await expectQuickStartWorked(vault, config, JSON.parse(text) as QuickStartReport, "workerd");
  }, 120_000);
});
