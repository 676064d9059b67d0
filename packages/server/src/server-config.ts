import type { FastifyBaseLogger } from "fastify";
import type { DestinationStream, LoggerOptions } from "pino";
import type { DatabaseConfig } from "./db/create-database.js";

/**
 * Logging: `false` for none, `true` for info-level JSON lines, pino options (plus an optional
 * `stream` to write to), or a ready pino logger. Credentials and values are always redacted
 * from what the server logs itself.
 */
export type ServerLoggerSetting =
  | boolean
  | (LoggerOptions & { stream?: DestinationStream | NodeJS.WritableStream })
  | FastifyBaseLogger;

/** Size limits. */
export type ServerLimits = {
  /**
   * Largest secret value accepted, in bytes of UTF-8.
   * @default 65536 (64 KiB)
   */
  maxValueBytes?: number;
  /**
   * Largest request body accepted, in bytes.
   * @default the larger of 1 MiB and room for a maximal value written with JSON escapes
   */
  bodyLimitBytes?: number;
};

/** TLS material (PEM) to serve HTTPS. */
export type TlsOptions = { cert: string | Buffer; key: string | Buffer };

/** Everything {@link createServer} needs. */
export type ServerConfig = {
  /** The 32-byte master key (see `loadOrCreateMasterKey`). */
  masterKey: Buffer;
  /** Where the data lives, e.g. `{ kind: "sqlite", filename: ".ass-data/vault.db" }`. */
  database: DatabaseConfig;
  /**
   * Logging.
   * @default false
   */
  logger?: ServerLoggerSetting;
  /**
   * Addresses or CIDRs of proxies whose `X-Forwarded-For` is believed; nobody else's is.
   * @default [] (the peer address is the client address)
   */
  trustedProxies?: readonly string[];
  /** Size limits. */
  limits?: ServerLimits;
  /**
   * The clock (tests inject one to move time).
   * @default () => new Date()
   */
  now?: () => Date;
  /** Serve HTTPS with this certificate and key. */
  tls?: TlsOptions;
  /**
   * How long an approved agent read request lets the agent read that path, in seconds.
   * @default 3600
   */
  agentGrantSeconds?: number;
  /**
   * Create the default tenant, an admin key and an agent key when the database is empty.
   * @default true
   */
  bootstrap?: boolean;
};

/** Credentials made by the first start of an empty vault (see `app.firstStart`). */
export type FirstStartCredentials = {
  /** The default tenant's id. */
  tenantId: string;
  /** The operator's admin key, `ass_admin_…`. Shown once. */
  adminKey: string;
  /** The default agent's key, `ass_live_…`, allowed scopes `["secrets:*:*"]`. Shown once. */
  agentKey: string;
};
