import { describe, expect, it } from "vitest";
import { bundleClient } from "./support/bundle-client.js";

// Goals (min+gzip; 1 kB = 1,000 bytes): an agent importing only AgentVault ships at most
// 8 kB, the whole main entry at most 10 kB; admin, cache, import, orchestrator and sync code
// live on their own entry points. The main entry meets its goal. AgentVault does not yet, so
// its budget is a ratchet just above today's figure: lower it as the client shrinks, to 8 kB.
// What shrank it: fields read through readFields tables, error kinds as one table per status,
// one #call under AgentVault's methods, one onAbort primitive, importSecrets moved to /import,
// the ClientCore as its pipeline's configuration, a leaner credential provider, credential()
// off the class (createCredentialProvider(vault, path, options) is the one way; 9,084 →
// 8,529 B).
// What 8 kB would still take (measured at 8.53 kB): its largest method off the class, as
// credential() went: waitForApproval() (0.56 kB, giving 7.97 kB), or 0.53 kB saved elsewhere.
const KB = 1000;
const BUDGETS = {
  agentVault: 8.55 * KB,
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
