import { readFile } from "node:fs/promises";
import { brokerRouteFromTable } from "../broker/broker-route.js";
import { createPrettyLogStream, type LogOutput } from "../http/pretty-log-stream.js";
import type { RateLimitRule } from "../rate-limit/rate-limiters.js";
import type { RateLimitSettings } from "../server-config.js";
import type { StartServerOptions } from "../start-server.js";
import { ConfigError } from "./config-source.js";
import type { EffectiveConfig } from "./load-server-config.js";

/** Where the server's log goes, and whether that is a terminal (for `log.format = "auto"`). */
export type LogDestination = LogOutput & { isTTY?: boolean };

/**
 * The {@link StartServerOptions} for an effective configuration: reads the TLS files and picks
 * the log format. Everything comes from `config`; nothing is read from the environment again.
 *
 * @throws ConfigError for options that need each other (tls.cert and tls.key, the webhook's URL
 * and secret) or a TLS file that cannot be read.
 */
export async function startOptionsFromConfig(
  config: EffectiveConfig,
  log: LogDestination,
): Promise<StartServerOptions> {
  const values = config.values;
  const webhookUrl = values["approvals.webhook_url"];
  const webhookSecret = values["approvals.webhook_secret"];
  if ((webhookUrl === undefined) !== (webhookSecret === undefined)) {
    throw new ConfigError(
      null,
      null,
      "set both [approvals] webhook_url (ASS_WEBHOOK_URL) and webhook_secret (ASS_WEBHOOK_SECRET), or neither",
    );
  }
  const masterKey = values["server.master_key"];
  const pretty =
    values["log.format"] === "pretty" || (values["log.format"] === "auto" && log.isTTY === true);
  const databaseUrl = values["server.database_url"];
  const keysFile = values["server.keys_file"];
  const tls = await readTls(config);
  return {
    port: values["server.port"] ?? 8787,
    host: values["server.host"] ?? "127.0.0.1",
    dataDir: values["server.data_dir"] ?? ".ass-data",
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    sqliteWriterThread: values["server.sqlite_writer_thread"] === true,
    // startServer reads the master key from here and nothing else: every other variable was
    // read into `config` already, with the precedence the user sees in --print-config.
    env: masterKey === undefined ? {} : { ASS_MASTER_KEY: masterKey },
    ...(tls === undefined ? {} : { tls }),
    insecureHttp: values["server.insecure_http"] === true,
    trustedProxies: [...(values["server.trusted_proxies"] ?? [])],
    ...(keysFile === undefined ? {} : { keysFile }),
    console: values["server.console"] !== false,
    corsOrigins: values["server.cors_origins"] ?? [],
    logger: {
      level: values["log.level"] ?? "info",
      stream: pretty ? createPrettyLogStream(log) : log,
    },
    approvals: {
      ...definedAs("criticalDelaySeconds", values["approvals.critical_delay_seconds"]),
      ...definedAs("requestTtlSeconds", values["approvals.request_ttl_seconds"]),
      ...(webhookUrl === undefined || webhookSecret === undefined
        ? {}
        : { webhook: { url: webhookUrl, secret: webhookSecret } }),
    },
    ...definedAs("agentGrantSeconds", values["approvals.agent_grant_seconds"]),
    webhooks: {
      ...definedAs("retries", values["webhooks.retries"]),
      ...definedAs("giveUpAfterSeconds", values["webhooks.give_up_after_seconds"]),
      ...definedAs("retentionSeconds", values["webhooks.retention_seconds"]),
      ...definedAs("failedRetentionSeconds", values["webhooks.failed_retention_seconds"]),
    },
    limits: {
      ...definedAs("maxValueBytes", values["limits.max_value_bytes"]),
      ...definedAs("requestTimeoutSeconds", values["limits.request_timeout_seconds"]),
      ...definedAs("keepAliveTimeoutSeconds", values["limits.keep_alive_timeout_seconds"]),
      ...definedAs("maxConnections", values["limits.max_connections"]),
      ...definedAs("maxConnectionsPerAddress", values["limits.max_connections_per_address"]),
      ...definedAs("maxLongPolls", values["limits.max_long_polls"]),
      ...definedAs("maxLongPollsPerCredential", values["limits.max_long_polls_per_credential"]),
    },
    rateLimits: rateLimitsFrom(config),
    broker: {
      routes: (values["broker.routes"] ?? []).map(brokerRouteFromTable),
      ...(values["broker.ca_file"] === undefined ? {} : { caFile: values["broker.ca_file"] }),
    },
    metrics: {
      enabled: values["metrics.enabled"] !== false,
      ...definedAs("token", values["metrics.token"]),
      ...definedAs("public", values["metrics.public"]),
    },
  };
}

/**
 * The `[limits]` rate options as {@link RateLimitSettings}: one budget per rule, each left to the
 * server's default where not set. A new budget is one more `rule(...)` line here and two options
 * in SERVER_OPTIONS.
 */
function rateLimitsFrom(config: EffectiveConfig): RateLimitSettings {
  const values = config.values;
  const redisUrl = values["limits.redis_url"];
  return {
    ...(redisUrl === undefined ? {} : { store: { redisUrl } }),
    ...definedAs("keyPrefix", values["limits.key_prefix"]),
    ...rule(
      "perCredential",
      values["limits.per_credential_points"],
      values["limits.per_credential_duration_seconds"],
    ),
    ...rule("writes", values["limits.writes_points"], values["limits.writes_duration_seconds"]),
    ...rule(
      "failedAuth",
      values["limits.failed_auth_points"],
      values["limits.failed_auth_duration_seconds"],
    ),
  };
}

/** The settings' budgets: the properties whose values are rules. */
type RuleName = "perCredential" | "writes" | "failedAuth";

function rule(
  name: RuleName,
  points: number | undefined,
  durationSeconds: number | undefined,
): Partial<Record<RuleName, Partial<RateLimitRule>>> {
  if (points === undefined && durationSeconds === undefined) return {};
  return {
    [name]: {
      ...(points === undefined ? {} : { points }),
      ...(durationSeconds === undefined ? {} : { durationSeconds }),
    },
  };
}

function definedAs<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

async function readTls(
  config: EffectiveConfig,
): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  const certFile = config.values["tls.cert"];
  const keyFile = config.values["tls.key"];
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new ConfigError(
      null,
      null,
      "[tls] cert and key go together (ASS_TLS_CERT and ASS_TLS_KEY, --tls-cert and --tls-key): give both files",
    );
  }
  return {
    cert: await readPem(config, "tls.cert", certFile),
    key: await readPem(config, "tls.key", keyFile),
  };
}

async function readPem(config: EffectiveConfig, key: "tls.cert" | "tls.key", path: string) {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(config.sources[key], key, `cannot read ${path} (${code})`);
  }
}
