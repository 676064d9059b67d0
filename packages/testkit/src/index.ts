// The workspace's test kit (private): local vaults and a fake vault, so that no package keeps
// its own copy. The vitest fixture is on its own entry, @agentsecretstore/testkit/vitest, so that
// a plain Node process (an example) can use the kit without vitest. See README.md.

export type { FakeVaultClient } from "./fake-vault.js";
export { FakeVault } from "./fake-vault.js";
export type { PostgresSchema } from "./postgres-schema.js";
export { createPostgresSchema, TEST_POSTGRES_URL } from "./postgres-schema.js";
export type { RunningVault, StartVaultOptions, VaultDatabase } from "./start-vault.js";
export { startVault } from "./start-vault.js";
export type { VaultProcess, VaultProcessOptions } from "./vault-process.js";
export { startVaultProcess } from "./vault-process.js";
