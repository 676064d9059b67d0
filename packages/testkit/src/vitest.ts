// @agentsecretstore/testkit/vitest: the vitest fixture (importing it outside a vitest run fails).

export type { VaultFixtures } from "./vault-fixture.js";
export { createVaultTest, vaultTest } from "./vault-fixture.js";
