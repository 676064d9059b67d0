import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentVault } from "@agentsecretstore/client";
import { startServer } from "@agentsecretstore/server";

/** A real vault server on 127.0.0.1 with a temporary data folder, and clients for it. */
export interface RunningVault {
  /** The API root, ending in `/v1` (what clients take as `baseUrl`). */
  readonly baseUrl: string;
  readonly adminKey: string;
  readonly agentKey: string;
  /** A client holding the agent key. */
  readonly agent: AgentVault;
  /** A client holding the admin key (seeds secrets of any tier). */
  readonly admin: AgentVault;
  /** Approves an approval request as the admin (POST /v1/approvals/{id}/approve). */
  approve(approvalRequestId: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a vault on a random port with its data in a new temporary folder. */
export async function startVault(): Promise<RunningVault> {
  const dataDir = await mkdtemp(join(tmpdir(), "ass-agent-tools-"));
  // env: {} so that an ASS_MASTER_KEY of the machine running the tests is never used.
  const server = await startServer({ port: 0, dataDir, logger: false, env: {} });
  if (server.firstStart === null) throw new Error("expected a first start on an empty data folder");
  const { adminKey, agentKey } = server.firstStart;
  const { baseUrl } = server;
  const client = (credential: string) =>
    new AgentVault({ agentKey: credential, baseUrl, retries: 0, env: {} });
  const agent = client(agentKey);
  const admin = client(adminKey);
  return {
    baseUrl,
    adminKey,
    agentKey,
    agent,
    admin,
    approve: async (approvalRequestId) => {
      const response = await fetch(`${baseUrl}/approvals/${approvalRequestId}/approve`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ comment: "approved by the test" }),
      });
      if (!response.ok) throw new Error(`approving failed with HTTP ${response.status}`);
    },
    close: async () => {
      await agent.close();
      await admin.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
