import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentVault } from "@agentsecretstore/client";
import { VaultAdmin } from "@agentsecretstore/client/admin";
import { startServer } from "@agentsecretstore/server";

/** A real vault server on 127.0.0.1 with a temporary data folder, and clients for it. */
export interface RunningVault {
  /** The origin, e.g. `http://127.0.0.1:40123` (what the hosted MCP server's ASS_API_URL holds). */
  readonly origin: string;
  /** The API root, ending in `/v1`. */
  readonly baseUrl: string;
  readonly adminKey: string;
  readonly agentKey: string;
  /** A client holding the admin key (seeds secrets of any tier). */
  readonly admin: AgentVault;
  /** Admin calls: approvals, agents, audit. */
  readonly vaultAdmin: VaultAdmin;
  /** Approves an approval request as the admin, through the server's API. */
  approve(approvalRequestId: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a vault on a random loopback port with its data in a new temporary folder. */
export async function startVault(): Promise<RunningVault> {
  const dataDir = await mkdtemp(join(tmpdir(), "ass-mcp-"));
  // env: {} so that an ASS_MASTER_KEY of the machine running the tests is never used.
  const server = await startServer({ port: 0, dataDir, logger: false, env: {} });
  if (server.firstStart === null) throw new Error("expected a first start on an empty data folder");
  const { adminKey, agentKey } = server.firstStart;
  const { baseUrl } = server;
  const admin = new AgentVault({ agentKey: adminKey, baseUrl, retries: 0, env: {} });
  const vaultAdmin = new VaultAdmin({ adminKey, baseUrl, retries: 0, env: {} });
  return {
    origin: server.url,
    baseUrl,
    adminKey,
    agentKey,
    admin,
    vaultAdmin,
    approve: async (approvalRequestId) => {
      const response = await fetch(`${baseUrl}/approvals/${approvalRequestId}/approve`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ comment: "approved by the test" }),
      });
      if (!response.ok) throw new Error(`approving failed with HTTP ${response.status}`);
    },
    close: async () => {
      await admin.close();
      await vaultAdmin.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
