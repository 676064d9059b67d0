import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrokerRoute, type RunningServer, startServer } from "@agentsecretstore/server";

/** A vault server on a free loopback port in a temporary folder, removed again by `close()`. */
export type LocalVault = {
  server: RunningServer;
  /** The API's base URL, `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  /** The temporary data folder (master key file and SQLite database). */
  dataDir: string;
  /** The operator's admin key from the first start. */
  adminKey: string;
  /** The default agent's key from the first start (allowed scopes `secrets:*:*`). */
  agentKey: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** Options of {@link startLocalVault}. */
export type LocalVaultOptions = {
  /**
   * How long a critical approval waits after its second approval, in seconds. Examples
   * shorten it so that they finish in seconds.
   * @default 300 (the server's default)
   */
  criticalDelaySeconds?: number;
  /**
   * Credential broker routes (`[[broker.routes]]` in a configuration file).
   * @default none
   */
  brokerRoutes?: BrokerRoute[];
};

/** Starts the embedded vault server the way `ass server` does, for examples and the demo. */
export async function startLocalVault(options: LocalVaultOptions = {}): Promise<LocalVault> {
  const dataDir = await mkdtemp(join(tmpdir(), "ass-example-"));
  const server = await startServer({
    port: 0,
    dataDir,
    logger: false,
    // The examples ignore the caller's ASS_* and REDIS_URL variables: each run is self-contained.
    env: {},
    ...(options.criticalDelaySeconds === undefined
      ? {}
      : { approvals: { criticalDelaySeconds: options.criticalDelaySeconds } }),
    ...(options.brokerRoutes === undefined ? {} : { broker: { routes: options.brokerRoutes } }),
  });
  if (!server.firstStart) throw new Error("expected a fresh data folder");
  const close = async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  return {
    server,
    baseUrl: server.baseUrl,
    dataDir,
    adminKey: server.firstStart.adminKey,
    agentKey: server.firstStart.agentKey,
    close,
    [Symbol.asyncDispose]: close,
  };
}
