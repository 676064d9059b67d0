import { VaultAdmin } from "@agentsecretstore/client/admin";
// The shared fixture of the vault tools' tests, by relative path until the test kit lands.
import {
  startVault as startToolsVault,
  type RunningVault as ToolsVault,
} from "../../../agent-tools/test/support/vault-server.js";

/** A real vault server on 127.0.0.1 (temporary SQLite), its clients, and what MCP tests add. */
export interface RunningVault extends ToolsVault {
  /** The origin, e.g. `http://127.0.0.1:40123` (what the hosted MCP server's ASS_API_URL holds). */
  readonly origin: string;
  /** Admin calls: agents, audit. */
  readonly vaultAdmin: VaultAdmin;
}

/** Starts a vault on a random loopback port with its data in a new temporary folder. */
export async function startVault(): Promise<RunningVault> {
  const vault = await startToolsVault();
  const vaultAdmin = new VaultAdmin({
    adminKey: vault.adminKey,
    baseUrl: vault.baseUrl,
    retries: 0,
    env: {},
  });
  return {
    ...vault,
    origin: vault.baseUrl.replace(/\/v1$/, ""),
    vaultAdmin,
    close: async () => {
      await vaultAdmin.close();
      await vault.close();
    },
  };
}
