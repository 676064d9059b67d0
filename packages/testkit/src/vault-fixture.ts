import { test } from "vitest";
import { type RunningVault, type StartVaultOptions, startVault } from "./start-vault.js";

/** What {@link vaultTest} gives each test. */
export interface VaultFixtures {
  /** A started vault with its keys and clients; closed (and its data removed) after the file. */
  readonly vault: RunningVault;
}

/**
 * vitest's `test`, extended with a `vault` fixture: one vault per test file, started when the
 * first test of the file asks for it and closed after the file's last test.
 *
 * @example
 * vaultTest("reads what it wrote", async ({ vault }) => {
 *   await vault.agent.setSecret("test/key", "not-a-real-key");
 *   expect((await vault.agent.getSecret("test/key")).value).toBe("not-a-real-key");
 * });
 */
export const vaultTest = createVaultTest();

/** Like {@link vaultTest}, with the vault started with `options` (a database, server options). */
export function createVaultTest(options: StartVaultOptions = {}) {
  return test.extend<VaultFixtures>({
    vault: [
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a fixture needs from this pattern
      async ({}, use) => {
        const vault = await startVault(options);
        try {
          await use(vault);
        } finally {
          await vault.close();
        }
      },
      { scope: "file" },
    ],
  });
}
