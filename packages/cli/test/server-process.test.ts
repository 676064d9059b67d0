import { startVaultProcess } from "@agentsecretstore/testkit";
import { expect, it } from "vitest";

it("runs as a real process and shuts down cleanly on SIGTERM", async () => {
  // `ass server --port 0` from this package's sources, started by the test kit.
  const vault = await startVaultProcess();
  const health = await fetch(`${vault.baseUrl}/health`);
  expect(health.status).toBe(200);

  expect(await vault.close()).toBe(0);
  const stderr = vault.stderr();
  expect(stderr).toContain("Shutting down");
  // Logs go to stderr and must never carry the printed credentials.
  expect(stderr).not.toContain(vault.agentKey);
  expect(stderr).not.toContain(vault.adminKey);
}, 60_000);
