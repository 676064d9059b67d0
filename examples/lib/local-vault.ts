import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "@agentsecretstore/server";

/** A vault server on a free loopback port in a temporary folder, removed again by `close()`. */
export type LocalVault = {
  server: RunningServer;
  baseUrl: string;
  adminKey: string;
  agentKey: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** Starts the embedded vault server the way `ass server` does, for examples and the demo. */
export async function startLocalVault(): Promise<LocalVault> {
  const dataDir = await mkdtemp(join(tmpdir(), "ass-example-"));
  const server = await startServer({ port: 0, dataDir, logger: false, env: {} });
  if (!server.firstStart) throw new Error("expected a fresh data folder");
  const close = async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  return {
    server,
    baseUrl: server.baseUrl,
    adminKey: server.firstStart.adminKey,
    agentKey: server.firstStart.agentKey,
    close,
    [Symbol.asyncDispose]: close,
  };
}
