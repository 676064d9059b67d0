import { describe, expect, it } from "vitest";
import { bundleClient } from "./support/bundle-client.js";

// Goals (min+gzip; 1 kB = 1,000 bytes): an agent importing only AgentVault ships at most
// 8 kB, the whole main entry at most 10 kB; admin, cache, orchestrator and sync code live on
// their own entry points. Neither is met yet: when this was written AgentVault was 9.86 kB
// (from 11.08 kB) and the main entry 10.21 kB (from 11.22 kB; 9.91 kB before the protocol
// package was bundled in). So the budgets are, for now, ratchets just above today's figures
// that stop growth: lower them as the client shrinks, down to the goals. Raised by 0.15 kB
// when the hosted product's clients' field names joined the one alias table the client reads
// (protocol's WIRE_FIELD_ALIASES: 10.10 kB and 10.44 kB then).
const KB = 1000;
const BUDGETS = {
  agentVault: 10.15 * KB,
  mainEntry: 10.5 * KB,
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
