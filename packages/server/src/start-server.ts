import { type FileHandle, mkdir, open, unlink } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { isIP } from "node:net";
import { MasterKeyMismatchError } from "./bootstrap.js";
import { createFirstKeys, createServer } from "./create-server.js";
import {
  generateMasterKey,
  type LoadedMasterKey,
  loadMasterKey,
  loadNextMasterKey,
  loadOrCreateMasterKey,
  publishMasterKey,
} from "./crypto/master-key.js";
import type { DatabaseConfig } from "./db/create-database.js";
import {
  createKeysFile,
  formatFirstStartKeys,
  pathExists,
  removeUnusedDataDir,
  sqliteFileIn,
  writeKeysFile,
} from "./first-start.js";
import type {
  ApprovalSettings,
  BrokerSettings,
  MetricsSettings,
  RateLimitSettings,
  ServerLimits,
  ServerLoggerSetting,
  TlsOptions,
  WebhookDeliverySettings,
} from "./server-config.js";
import type { VaultServer } from "./vault-server.js";

/** Options of {@link startServer} (what `ass server` passes). */
export type StartServerOptions = {
  /**
   * Port to listen on; 0 picks any free port.
   * @default 8787
   */
  port?: number;
  /**
   * Address to bind. A non-loopback address needs `tls` or `insecureHttp`.
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * Folder for the database (`vault.db`) and the master key file; created with mode 0700. On
   * PostgreSQL only an existing `master.key` is read from it (see `databaseUrl`).
   * @default ".ass-data"
   */
  dataDir?: string;
  /**
   * `postgres://user:password@host:5432/database[?schema=name]`: run on PostgreSQL, so that
   * several instances can share the data, instead of SQLite in `dataDir`. Every instance must
   * load the same master key: `ASS_MASTER_KEY`, or the same `master.key` file in its `dataDir`;
   * on PostgreSQL the server never creates a key file, it refuses to start without a key.
   * @default `DATABASE_URL` in `env`, else SQLite
   */
  databaseUrl?: string;
  /**
   * SQLite commits on a writer thread (true) or on the main thread (false); see the server
   * README's "Performance" for which is faster where.
   * @default false
   */
  sqliteWriterThread?: boolean;
  /**
   * Where `ASS_MASTER_KEY` (when set, no key file is created), `DATABASE_URL`,
   * `ASS_WEBHOOK_URL`, `ASS_WEBHOOK_SECRET`, `REDIS_URL` and `ASS_METRICS_TOKEN` are read from.
   * @default process.env
   */
  env?: Record<string, string | undefined>;
  /** Serve HTTPS with this PEM certificate and key. */
  tls?: TlsOptions;
  /**
   * Allow plain HTTP on a non-loopback address (behind a TLS-terminating proxy only).
   * @default false
   */
  insecureHttp?: boolean;
  /**
   * Addresses or CIDRs of proxies whose `X-Forwarded-For` is believed; nobody else's is.
   * @default []
   */
  trustedProxies?: string[];
  /**
   * Logging: pino options (e.g. `{ level: "warn", stream }`), a pino logger, or false.
   * @default true (info-level JSON lines on stdout; credentials and values redacted)
   */
  logger?: ServerLoggerSetting;
  /**
   * On a first start, also write the new keys (the dotenv lines `ass server` prints) to this file,
   * created with mode 0600. An existing file is never overwritten: the first start then fails and
   * creates nothing. Ignored when the vault already has its keys.
   * @default none
   */
  keysFile?: string;
  /**
   * The web console at `/console`.
   * @default true
   */
  console?: boolean;
  /**
   * Browser origins allowed to call the API (CORS).
   * @default [] (none)
   */
  corsOrigins?: readonly string[];
  /**
   * How long an approved agent read request lets the agent read that path, in seconds.
   * @default 3600
   */
  agentGrantSeconds?: number;
  /** Size limits (`maxValueBytes` defaults to 64 KiB). */
  limits?: ServerLimits;
  /**
   * The clock, for tests.
   * @default () => new Date()
   */
  now?: () => Date;
  /**
   * Human approval: critical delay, request lifetime, webhook, events. A webhook not given here
   * comes from `ASS_WEBHOOK_URL` and `ASS_WEBHOOK_SECRET` in `env` (both or neither).
   */
  approvals?: ApprovalSettings;
  /**
   * Rate limits. A store not given here is Redis at `REDIS_URL` in `env` when that is set, else
   * memory.
   * @default per caller 1,200 requests and 120 writes a minute, per address 10 failed authentications a minute
   */
  rateLimits?: RateLimitSettings;
  /**
   * `GET /metrics` (Prometheus). A token not given here comes from `ASS_METRICS_TOKEN` in `env`.
   * @default enabled, asking for the metrics token made at first start
   */
  metrics?: MetricsSettings;
  /** The credential broker's routes (docs/protocol.md, "Credential broker"). */
  broker?: BrokerSettings;
  /** How the webhook outbox delivers: retries, give-up, retention (server README, "Webhooks"). */
  webhooks?: WebhookDeliverySettings;
};

/** A listening vault. */
export type RunningServer = {
  /** The vault server (for `inject()`). */
  app: VaultServer;
  /** The origin it serves, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** `url` + `/v1`: what clients take as `baseUrl` (`ASS_BASE_URL`). */
  baseUrl: string;
  /** The port it listens on (the chosen one when `port` was 0). */
  port: number;
  /** Credentials created by this start (an empty data folder), shown once; else null. */
  firstStart: null | {
    adminKey: string;
    agentKey: string;
    /** The token `/metrics` asks for (unless `metrics.token` or `metrics.public` is set). */
    metricsToken: string;
    masterKeyCreated: boolean;
  };
  /** Stops accepting, lets in-flight requests finish, then closes the database. Idempotent. */
  close(): Promise<void>;
};

/** Thrown when the options are unsafe or inconsistent (nothing was started). */
export class StartServerError extends Error {
  override readonly name = "StartServerError";
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  const unmapped = host.startsWith("::ffff:") ? host.slice(7) : host;
  if (isIP(unmapped) === 4) return unmapped.startsWith("127.");
  return host === "::1";
}

function originHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** The approval settings with the webhook from `ASS_WEBHOOK_URL` / `ASS_WEBHOOK_SECRET` if not given. */
function approvalSettingsFrom(
  given: ApprovalSettings | undefined,
  env: Record<string, string | undefined>,
): ApprovalSettings | undefined {
  if (given?.webhook !== undefined) return given;
  const url = env.ASS_WEBHOOK_URL || undefined;
  const secret = env.ASS_WEBHOOK_SECRET || undefined;
  if (url === undefined && secret === undefined) return given;
  if (url === undefined || secret === undefined) {
    throw new StartServerError(
      "Set both ASS_WEBHOOK_URL and ASS_WEBHOOK_SECRET to send approval webhooks, or neither",
    );
  }
  return { ...given, webhook: { url, secret } };
}

/** The rate limit settings with a Redis store from `REDIS_URL` if no store is given. */
function rateLimitSettingsFrom(
  given: RateLimitSettings | undefined,
  env: Record<string, string | undefined>,
): RateLimitSettings | undefined {
  const redisUrl = env.REDIS_URL || undefined;
  if (given?.store !== undefined || redisUrl === undefined) return given;
  return { ...given, store: { redisUrl } };
}

/** The metrics settings with the token from `ASS_METRICS_TOKEN` if none is given. */
function metricsSettingsFrom(
  given: MetricsSettings | undefined,
  env: Record<string, string | undefined>,
): MetricsSettings | undefined {
  const token = env.ASS_METRICS_TOKEN || undefined;
  if (given?.token !== undefined || token === undefined) return given;
  return { ...given, token };
}

/** Inside the first keys' transaction: another process wrote master.key first. */
class LostKeyRace extends Error {}

/** The error for a port that cannot be bound: what to do about it, and that nothing was created. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return new StartServerError(
      `Port ${port} on ${host} is already in use (another server?): stop it or choose another port (--port, ASS_PORT). Nothing was created.`,
    );
  }
  if (code === "EACCES") {
    return new StartServerError(
      `Not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges): choose another port (--port, ASS_PORT). Nothing was created.`,
    );
  }
  if (code === "EADDRNOTAVAIL") {
    return new StartServerError(
      `${host} is not an address of this machine: choose another --host (ASS_HOST). Nothing was created.`,
    );
  }
  return error;
}

/** Creates the database file up front with mode 0600; SQLite gives its -wal and -shm the same. */
async function ensurePrivateFile(path: string): Promise<void> {
  const handle = await open(path, "a", 0o600);
  await handle.close();
}

/**
 * Starts the vault on the embedded SQLite database in `dataDir`, or with `databaseUrl` (or
 * `DATABASE_URL`) on PostgreSQL, where several instances may share the database (and must share
 * the master key). Refuses plain HTTP on a non-loopback address unless `insecureHttp` is set.
 *
 * A first start (an empty database) creates nothing before the port is bound and the database
 * opened: only then does it write the master key file (0600, unless `ASS_MASTER_KEY` is set), and
 * create the default tenant, an admin key, an agent key and the metrics token (returned in
 * `firstStart`, shown once; also written to `keysFile`). A start that fails earlier (a busy port) leaves no key behind.
 *
 * @example
 * const server = await startServer({ port: 0, dataDir: "/tmp/vault" });
 * const agentKey = server.firstStart?.agentKey; // shown once: hand it over, never log it
 * await server.close();
 */
export function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  return startOnce(options, true);
}

async function startOnce(options: StartServerOptions, mayRetry: boolean): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8787;
  const dataDir = options.dataDir ?? ".ass-data";
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new StartServerError(`The port must be a whole number from 0 to 65535, not ${port}`);
  }
  if (!isLoopback(host) && options.tls === undefined && options.insecureHttp !== true) {
    throw new StartServerError(
      `Refusing to serve plain HTTP on ${host}, which is not a loopback address: credentials would cross the network in clear text. Give a TLS certificate and key, or set insecureHttp (--insecure-http) when a TLS-terminating proxy sits in front (and name it with --trusted-proxy).`,
    );
  }
  const env = options.env ?? process.env;
  const approvals = approvalSettingsFrom(options.approvals, env);
  const rateLimits = rateLimitSettingsFrom(options.rateLimits, env);
  const metrics = metricsSettingsFrom(options.metrics, env);
  const databaseUrl = options.databaseUrl ?? (env.DATABASE_URL || undefined);
  let database: DatabaseConfig;
  // Nothing may be created before the port is bound: a start that fails there leaves no trace.
  const dataDirExisted = await pathExists(dataDir);
  if (databaseUrl === undefined) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    database = {
      kind: "sqlite",
      filename: sqliteFileIn(dataDir),
      ...(options.sqliteWriterThread === undefined
        ? {}
        : { writerThread: options.sqliteWriterThread }),
    };
  } else {
    database = { kind: "postgres", url: databaseUrl };
  }
  const undoDataDir = async () => {
    if (!dataDirExisted && database.kind === "sqlite") {
      await removeUnusedDataDir(dataDir, database.filename);
    }
  };
  let loaded: LoadedMasterKey | null;
  try {
    loaded =
      database.kind === "sqlite"
        ? await loadMasterKey({ dataDir, env })
        : // Instances sharing a database must share one key: none of them may make one up.
          await loadOrCreateMasterKey({ dataDir, env, createIfMissing: false });
    if (database.kind === "sqlite") await ensurePrivateFile(database.filename);
  } catch (error) {
    await undoDataDir();
    throw error;
  }
  // A new key is written to master.key only once the port is bound, just before the first keys.
  const masterKey = loaded?.key ?? generateMasterKey();
  let app: VaultServer;
  try {
    // A rotation under way (`ass server rotate-master-key`) left its new key beside the old one.
    const nextKey = loaded === null ? null : await loadNextMasterKey(dataDir);
    app = await createServer({
      masterKey,
      ...(nextKey === null ? {} : { extraMasterKeys: [nextKey] }),
      database,
      logger: options.logger ?? true,
      trustedProxies: options.trustedProxies ?? [],
      bootstrap: false,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(approvals === undefined ? {} : { approvals }),
      ...(rateLimits === undefined ? {} : { rateLimits }),
      ...(metrics === undefined ? {} : { metrics }),
      ...(options.broker === undefined ? {} : { broker: options.broker }),
      ...(options.webhooks === undefined ? {} : { webhooks: options.webhooks }),
      ...(options.console === undefined ? {} : { console: options.console }),
      ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
      ...(options.agentGrantSeconds === undefined
        ? {}
        : { agentGrantSeconds: options.agentGrantSeconds }),
    });
  } catch (error) {
    // Another process on this data folder stored its first keys (its master.key is written
    // before they commit) after this one found no master.key. Its database is in use: leave it,
    // and start once more with the key now in the file.
    if (error instanceof MasterKeyMismatchError && loaded === null) {
      if (mayRetry) return startOnce(options, false);
      throw error;
    }
    await undoDataDir();
    throw error;
  }
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    await undoDataDir();
    throw listenError(error, host, port);
  }
  let keysFile: FileHandle | undefined;
  try {
    await createFirstKeys(app, async () => {
      if (options.keysFile !== undefined) keysFile = await createKeysFile(options.keysFile);
      if (loaded === null && !(await publishMasterKey(dataDir, masterKey)).equals(masterKey)) {
        throw new LostKeyRace();
      }
    });
  } catch (error) {
    if (keysFile !== undefined && options.keysFile !== undefined) {
      await keysFile.close();
      await unlink(options.keysFile).catch(() => undefined);
    }
    await app.close();
    // Another process on this data folder made the master key (and maybe the first keys) while
    // this one held a new key in memory: start once more, with the key now in the file.
    const lostRace =
      error instanceof LostKeyRace || (error instanceof MasterKeyMismatchError && loaded === null);
    if (lostRace && mayRetry) return startOnce(options, false);
    throw error instanceof LostKeyRace
      ? new StartServerError(
          `Another process is starting on ${dataDir} at the same moment; start again`,
        )
      : error;
  }
  const actualPort = (app.server.address() as AddressInfo).port;
  const url = `${options.tls ? "https" : "http"}://${originHost(host)}:${actualPort}`;
  const baseUrl = `${url}/v1`;
  if (keysFile !== undefined && app.firstStart !== null) {
    await writeKeysFile(keysFile, formatFirstStartKeys(baseUrl, app.firstStart));
  }
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    baseUrl,
    port: actualPort,
    firstStart: app.firstStart && {
      adminKey: app.firstStart.adminKey,
      agentKey: app.firstStart.agentKey,
      metricsToken: app.firstStart.metricsToken,
      masterKeyCreated: loaded === null,
    },
    close: () => {
      closing ??= app.close();
      return closing;
    },
  };
}
