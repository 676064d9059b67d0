import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// What `ass server` runs: the built bundle, not the sources. Files the bundle reads at run time
// (the console's pages) must be in dist/ too. It needs the build (`pnpm build`, which CI runs
// before the tests).

const DIST_ENTRY = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "ass-built-"));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("the built server package", () => {
  it("starts from dist/ and serves the API and the console's files", async () => {
    if (!existsSync(DIST_ENTRY)) {
      throw new Error("packages/server/dist is missing: run `pnpm build` before this test");
    }
    const { startServer } = (await import(DIST_ENTRY)) as typeof import("../src/index.js");
    const server = await startServer({ dataDir, port: 0, logger: false });
    try {
      expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
      const page = await fetch(`${server.url}/console`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Admin key");
      const style = await fetch(`${server.url}/console/assets/console.css`);
      expect(style.status).toBe(200);
    } finally {
      await server.close();
    }
  }, 60_000);
});
