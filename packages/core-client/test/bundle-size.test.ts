import { describe, expect, it } from "vitest";
import { bundleClient } from "./support/bundle-client.js";

// The whole main entry ships at most 10 kB (min+gzip; 1 kB = 1,000 bytes): admin, cache,
// orchestrator and sync code live on their own entry points. An agent importing only
// AgentVault should ship at most 8 kB; it does not yet (9.57 kB when this was written, from
// 11.08 kB), so its budget is, for now, a ratchet just above today's figure that stops it
// from growing. Lower it as the client shrinks, down to 8 kB.
const KB = 1000;
const BUDGETS = {
  agentVault: 9.75 * KB,
  mainEntry: 10 * KB,
};

const kilobytes = (bytes: number) => `${(bytes / KB).toFixed(2)} kB`;

describe("bundle size (esbuild, minified, gzip)", () => {
  it("keeps a tree-shaken import { AgentVault } and the whole main entry within budget", async () => {
    const agentVault = await bundleClient({ entry: 'export { AgentVault } from "./index.ts";' });
    const mainEntry = await bundleClient({ entry: 'export * from "./index.ts";' });
    // Printed on every run, so a change in size is seen before it reaches the budget.
    console.log(
      `client size: import { AgentVault } ${kilobytes(agentVault.gzipBytes)} (budget ${kilobytes(BUDGETS.agentVault)}), ` +
        `main entry ${kilobytes(mainEntry.gzipBytes)} (budget ${kilobytes(BUDGETS.mainEntry)})`,
    );
    expect(agentVault.external).toEqual([]);
    expect(mainEntry.external).toEqual([]);
    // The whole entry holds more than AgentVault: the measurement is not of an empty bundle.
    expect(mainEntry.gzipBytes).toBeGreaterThan(agentVault.gzipBytes);
    expect(agentVault.gzipBytes).toBeGreaterThan(KB);
    expect(agentVault.gzipBytes).toBeLessThanOrEqual(BUDGETS.agentVault);
    expect(mainEntry.gzipBytes).toBeLessThanOrEqual(BUDGETS.mainEntry);
  });
});
