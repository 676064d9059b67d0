export type { SyncAgentVaultOptions, SyncOptions } from "./sync-agent-vault.js";
export { SyncAgentVault } from "./sync-agent-vault.js";
