import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentVault } from "@agentsecretstore/client";
import { VaultAdmin } from "@agentsecretstore/client/admin";
import { type RunningServer, type StartServerOptions, startServer } from "@agentsecretstore/server";
import { createPostgresSchema, type PostgresSchema } from "./postgres-schema.js";

/** Where a local vault keeps its data. */
export type VaultDatabase = "sqlite" | "postgres";

/** Options of {@link startVault}. */
export interface StartVaultOptions {
  /**
   * `sqlite`: a database in the vault's temporary folder. `postgres`: a new schema of its own in
   * `ASS_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`), dropped by `close()`.
   * @default "sqlite"
   */
  readonly database?: VaultDatabase | undefined;
  /**
   * Any other `startServer` option (`approvals`, `rateLimits`, `brokerRoutes`, …). The port (a
   * free one), the data folder, the database, the logger (off) and `env` are the kit's.
   */
  readonly server?: Omit<StartServerOptions, "port" | "dataDir" | "databaseUrl" | "env" | "logger">;
  /** A folder name prefix, to tell whose temporary folder is whose. @default "ass-testkit-" */
  readonly prefix?: string | undefined;
}

/** A real vault server on a free loopback port, its first-start keys, and clients for it. */
export interface RunningVault extends AsyncDisposable {
  readonly server: RunningServer;
  /** The API root, `http://127.0.0.1:<port>/v1` (what clients take as `baseUrl`). */
  readonly baseUrl: string;
  /** `http://127.0.0.1:<port>`, without `/v1`. */
  readonly origin: string;
  /** The temporary data folder (master key file, and the SQLite database); removed by `close()`. */
  readonly dataDir: string;
  readonly database: VaultDatabase;
  /** The PostgreSQL schema it runs in (dropped by `close()`), or `null` on SQLite. */
  readonly postgresSchema: string | null;
  /** The operator's admin key from the first start. */
  readonly adminKey: string;
  /** The default agent's key from the first start (allowed scopes `secrets:*:*`). */
  readonly agentKey: string;
  /** An `AgentVault` holding the agent key (no retries, no environment). */
  readonly agent: AgentVault;
  /** An `AgentVault` holding the admin key: seeds secrets of any tier. */
  readonly admin: AgentVault;
  /** A `VaultAdmin` holding the admin key: agents, approvals, audit. */
  readonly vaultAdmin: VaultAdmin;
  /** Approves an approval request as the admin (`POST /v1/approvals/{id}/approve`). */
  approve(approvalRequestId: string): Promise<void>;
  /** Closes the clients and the server, and removes the data folder (and the schema). */
  close(): Promise<void>;
}

/**
 * Starts a vault in this process, as `ass server` would, on a free port of 127.0.0.1 with its
 * data in a new temporary folder (or a new PostgreSQL schema). It ignores the caller's `ASS_*`,
 * `DATABASE_URL` and `REDIS_URL` variables: every vault is self-contained.
 *
 * @example
 * await using vault = await startVault();
 * await vault.agent.setSecret("test/api-key", "not-a-real-key");
 */
export async function startVault(options: StartVaultOptions = {}): Promise<RunningVault> {
  const database = options.database ?? "sqlite";
  const dataDir = await mkdtemp(join(tmpdir(), options.prefix ?? "ass-testkit-"));
  let schema: PostgresSchema | undefined;
  let server: RunningServer;
  try {
    if (database === "postgres") schema = await createPostgresSchema();
    server = await startServer({
      ...options.server,
      port: 0,
      dataDir,
      logger: false,
      ...(schema === undefined
        ? { env: {} }
        : // On PostgreSQL the server needs a master key it is given: a fresh one per vault.
          { databaseUrl: schema.url, env: { ASS_MASTER_KEY: randomBytes(32).toString("base64") } }),
    });
  } catch (error) {
    await schema?.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  if (server.firstStart === null) throw new Error("expected a first start on an empty vault");
  const { adminKey, agentKey } = server.firstStart;
  const { baseUrl } = server;
  const client = (credential: string) =>
    new AgentVault({ agentKey: credential, baseUrl, retries: 0, env: {} });
  const agent = client(agentKey);
  const admin = client(adminKey);
  const vaultAdmin = new VaultAdmin({ adminKey, baseUrl, retries: 0, env: {} });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await Promise.all([agent.close(), admin.close(), vaultAdmin.close()]);
      await server.close();
      await schema?.drop();
      await rm(dataDir, { recursive: true, force: true });
    })();
    return closing;
  };
  return {
    server,
    baseUrl,
    origin: baseUrl.replace(/\/v1$/, ""),
    dataDir,
    database,
    postgresSchema: schema?.name ?? null,
    adminKey,
    agentKey,
    agent,
    admin,
    vaultAdmin,
    approve: async (approvalRequestId) => {
      const response = await fetch(
        `${baseUrl}/approvals/${encodeURIComponent(approvalRequestId)}/approve`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
          body: JSON.stringify({ comment: "approved by the test" }),
        },
      );
      if (!response.ok) throw new Error(`approving failed with HTTP ${response.status}`);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
