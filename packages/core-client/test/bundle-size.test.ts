import { describe, expect, it } from "vitest";
import { bundleClient } from "./support/bundle-client.js";

// Goals (min+gzip; 1 kB = 1,000 bytes): an agent importing only AgentVault ships at most
// 8 kB, the whole main entry at most 10 kB; admin, cache, orchestrator and sync code live on
// their own entry points. The main entry meets its goal: 9.99 kB (from 10.47 kB), now that
// the client reads only the seven alias pairs it needs from the protocol's alias table (the
// table itself is no longer bundled) and the status alone decides an error's class.
// AgentVault does not yet: 9.63 kB (from 10.13 kB), so its budget is a ratchet just above
// that figure; lower it as the client shrinks, down to the goal.
// Issue 18 added vault.broker(route) (+98 bytes to AgentVault, +95 to the main entry) and a
// secret's allowedDestinations / approval in SecretMetadata and setSecret (+124, +125): from
// 9,630 to 9,852 bytes and from 9,987 to 10,207, more than either had left. Both budgets were
// raised by the smallest amount that admits it (9.70 → 9.86 kB, 10.00 → 10.21 kB). The main
// entry's goal is still 10 kB: win these bytes back and lower the budgets again.
const KB = 1000;
const BUDGETS = {
  agentVault: 9.86 * KB,
  mainEntry: 10.21 * KB,
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
