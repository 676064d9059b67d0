import type { z } from "zod";
import {
  addresses,
  brokerRoutes,
  flag,
  oneOf,
  origins,
  port,
  positiveInteger,
  seconds,
  text,
  url,
  wholeNumber,
} from "./option-schemas.js";

/** How a value written as text (a variable, a flag) becomes a value of the option's schema. */
export type OptionKind = "string" | "integer" | "boolean" | "list" | "tables";

/**
 * One setting of `ass server`, defined once: the config file key, its variable, its flag, its
 * default and its schema. The file parser, the environment reader, the flags, `--print-config`
 * and the README's options table all come from {@link SERVER_OPTIONS}.
 */
export type ServerOption<S extends z.ZodType = z.ZodType> = {
  /** How text from a variable or a flag is read before `schema` checks it. */
  kind: OptionKind;
  /** The value's schema (its error messages say what is expected). */
  schema: S;
  /** Environment variables, the preferred one first (later ones are older names). */
  env: readonly [string, ...string[]];
  /** The command-line flag (`--port <port>`); none for values that must stay out of `ps`. */
  flag?: string;
  /** The value when nothing sets it; none means "not set" (or the server's built-in default). */
  default?: z.infer<S>;
  /** The default as the README and `--print-config` show it, when `default` does not say it. */
  defaultText?: string;
  /** What it does, in one sentence. */
  description: string;
  /** Never printed: `true` masks the value, `"url"` only a URL's password. */
  secret?: true | "url";
};

function option<S extends z.ZodType>(spec: ServerOption<S>): ServerOption<S> {
  return spec;
}

/** The log levels `log.level` takes (pino's). */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/**
 * Every option of `ass server`, by its config file key (`[section] name`). Precedence: flags >
 * environment > config file > defaults.
 */
export const SERVER_OPTIONS = {
  "server.host": option({
    kind: "string",
    schema: text(),
    env: ["ASS_HOST"],
    flag: "--host <address>",
    default: "127.0.0.1",
    description: "Address to bind; a non-loopback address needs TLS or insecure_http.",
  }),
  "server.port": option({
    kind: "integer",
    schema: port(),
    env: ["ASS_PORT"],
    flag: "-p, --port <port>",
    default: 8787,
    description: "Port to listen on (0 = any free port).",
  }),
  "server.data_dir": option({
    kind: "string",
    schema: text(),
    env: ["ASS_DATA_DIR"],
    flag: "-d, --data-dir <dir>",
    default: ".ass-data",
    description: "Folder (mode 0700) for the SQLite database and the master key file.",
  }),
  "server.database_url": option({
    kind: "string",
    schema: url(["postgres:", "postgresql:"]),
    env: ["ASS_DATABASE_URL", "DATABASE_URL"],
    flag: "--database-url <url>",
    defaultText: "none (SQLite in data_dir)",
    description:
      "PostgreSQL (postgres://…[?schema=name]) shared by several instances; prefer the variable, which keeps a password out of the process list.",
    secret: "url",
  }),
  "server.sqlite_writer_thread": option({
    kind: "boolean",
    schema: flag(),
    env: ["ASS_SQLITE_WRITER_THREAD"],
    default: false,
    description:
      "SQLite commits on a writer thread (the fsync off the event loop) instead of the main thread: slower on two cores, measured (README, Performance); try it with cores to spare.",
  }),
  "server.master_key": option({
    kind: "string",
    schema: text(),
    env: ["ASS_MASTER_KEY"],
    defaultText: "data_dir/master.key (made on the first start on SQLite)",
    description:
      "The 32-byte master key (base64 or hex), the same on every instance; required on PostgreSQL.",
    secret: true,
  }),
  "server.insecure_http": option({
    kind: "boolean",
    schema: flag(),
    env: ["ASS_INSECURE_HTTP"],
    flag: "--insecure-http",
    default: false,
    description:
      "Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy).",
  }),
  "server.trusted_proxies": option({
    kind: "list",
    schema: addresses(),
    env: ["ASS_TRUSTED_PROXIES"],
    flag: "--trusted-proxy <address>",
    default: [],
    description: "Addresses or CIDRs of proxies whose X-Forwarded-For is believed.",
  }),
  "server.keys_file": option({
    kind: "string",
    schema: text(),
    env: ["ASS_KEYS_FILE"],
    flag: "--keys-file <path>",
    defaultText: "none (stdout only)",
    description:
      "On the first start, also write the keys to this new file (0600, never overwritten).",
  }),
  "server.console": option({
    kind: "boolean",
    schema: flag(),
    env: ["ASS_CONSOLE"],
    flag: "--console",
    default: true,
    description: "Serve the approvers' web console at /console (--no-console turns it off).",
  }),
  "server.cors_origins": option({
    kind: "list",
    schema: origins(),
    env: ["ASS_CORS_ORIGINS"],
    flag: "--cors-origin <origin>",
    default: [],
    description: "Browser origins allowed to call the API (CORS); none by default.",
  }),
  "tls.cert": option({
    kind: "string",
    schema: text(),
    env: ["ASS_TLS_CERT"],
    flag: "--tls-cert <file>",
    defaultText: "none (plain HTTP)",
    description: "PEM certificate file: serve HTTPS (with tls.key).",
  }),
  "tls.key": option({
    kind: "string",
    schema: text(),
    env: ["ASS_TLS_KEY"],
    flag: "--tls-key <file>",
    defaultText: "none",
    description: "PEM private key file for tls.cert.",
  }),
  "log.level": option({
    kind: "string",
    schema: oneOf(LOG_LEVELS),
    env: ["ASS_LOG_LEVEL"],
    flag: "--log-level <level>",
    default: "info",
    description: `Least severe log level written: ${LOG_LEVELS.join(", ")}.`,
  }),
  "log.format": option({
    kind: "string",
    schema: oneOf(["auto", "pretty", "json"]),
    env: ["ASS_LOG_FORMAT"],
    flag: "--log-format <format>",
    default: "auto",
    description: "Log lines: pretty (for people), json, or auto (pretty on a terminal, else json).",
  }),
  "approvals.critical_delay_seconds": option({
    kind: "integer",
    schema: seconds(),
    env: ["ASS_CRITICAL_DELAY"],
    flag: "--critical-delay <seconds>",
    default: 300,
    description: "Wait after a critical request's second approval, during which anyone may cancel.",
  }),
  "approvals.request_ttl_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_APPROVAL_TTL"],
    default: 86_400,
    description: "How long an agent's read request stays open before it expires.",
  }),
  "approvals.agent_grant_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_AGENT_GRANT_SECONDS"],
    default: 3600,
    description: "How long an approved read request lets the agent read that path.",
  }),
  "approvals.webhook_url": option({
    kind: "string",
    schema: url(["http:", "https:"]),
    env: ["ASS_WEBHOOK_URL"],
    defaultText: "none",
    description: "Receiver of signed approval notifications (with webhook_secret).",
    secret: "url",
  }),
  "approvals.webhook_secret": option({
    kind: "string",
    schema: text().min(16, { error: "expected at least 16 characters" }),
    env: ["ASS_WEBHOOK_SECRET"],
    defaultText: "none",
    description: "HMAC-SHA-256 key that signs the webhook's requests (16 characters or more).",
    secret: true,
  }),
  "webhooks.retries": option({
    kind: "integer",
    schema: wholeNumber(),
    env: ["ASS_WEBHOOK_RETRIES"],
    default: 50,
    description:
      "Retries of a failed webhook delivery (backoff 1 s doubling to 5 min) before the event is kept as failed.",
  }),
  "webhooks.give_up_after_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_WEBHOOK_GIVE_UP_AFTER"],
    default: 86_400,
    description:
      "A webhook event not delivered this long after its change committed is kept as failed.",
  }),
  "webhooks.retention_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_WEBHOOK_RETENTION"],
    default: 604_800,
    description: "How long delivered webhook events stay in the outbox before they are deleted.",
  }),
  "webhooks.failed_retention_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_WEBHOOK_FAILED_RETENTION"],
    default: 2_592_000,
    description: "How long webhook events given up on stay in the outbox, as failed.",
  }),
  "limits.max_value_bytes": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_MAX_VALUE_BYTES"],
    default: 65_536,
    description: "Largest secret value accepted, in bytes of UTF-8.",
  }),
  "limits.request_timeout_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_REQUEST_TIMEOUT_SECONDS"],
    default: 30,
    description:
      "How long a client may take to send a whole request; slower ones get 408 and are disconnected (a long-poll's wait does not count).",
  }),
  "limits.keep_alive_timeout_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_KEEP_ALIVE_TIMEOUT_SECONDS"],
    default: 5,
    description: "How long an idle keep-alive connection stays open.",
  }),
  "limits.max_connections": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_MAX_CONNECTIONS"],
    default: 4096,
    description: "Connections open at once from everyone; further ones are closed at once.",
  }),
  "limits.max_connections_per_address": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_MAX_CONNECTIONS_PER_ADDRESS"],
    default: 256,
    description:
      "Connections open at once from one client address; further ones are closed at once.",
  }),
  "limits.max_long_polls": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_MAX_LONG_POLLS"],
    default: 1000,
    description:
      "Long-polls (GET /v1/approvals/{id}?wait=) waiting at once on this instance; further ones get 503 with Retry-After.",
  }),
  "limits.max_long_polls_per_credential": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_MAX_LONG_POLLS_PER_CREDENTIAL"],
    default: 20,
    description:
      "Long-polls waiting at once for one agent or admin key, its tokens included; further ones get 429 with Retry-After.",
  }),
  "limits.per_credential_points": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_RATE_LIMIT_PER_CREDENTIAL"],
    defaultText: "built-in: 1200",
    description:
      "Requests each caller (a key, or a token family) may make per per_credential_duration_seconds.",
  }),
  "limits.per_credential_duration_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_RATE_LIMIT_PER_CREDENTIAL_SECONDS"],
    defaultText: "built-in: 60",
    description: "The window of per_credential_points, in seconds.",
  }),
  "limits.writes_points": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_RATE_LIMIT_WRITES"],
    defaultText: "built-in: 120",
    description:
      "Writes and token mints each caller may make per writes_duration_seconds (on top of per_credential).",
  }),
  "limits.writes_duration_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_RATE_LIMIT_WRITES_SECONDS"],
    defaultText: "built-in: 60",
    description: "The window of writes_points, in seconds.",
  }),
  "limits.failed_auth_points": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_RATE_LIMIT_FAILED_AUTH"],
    defaultText: "built-in: 10",
    description:
      "Failed authentications each client address may make per failed_auth_duration_seconds before further failures get 429 (valid credentials are always served).",
  }),
  "limits.failed_auth_duration_seconds": option({
    kind: "integer",
    schema: positiveInteger(),
    env: ["ASS_RATE_LIMIT_FAILED_AUTH_SECONDS"],
    defaultText: "built-in: 60",
    description: "The window of failed_auth_points, in seconds.",
  }),
  "limits.key_prefix": option({
    kind: "string",
    schema: text(),
    env: ["ASS_RATE_LIMIT_KEY_PREFIX"],
    defaultText: "built-in: ass:rl",
    description: "Prefix of the rate limit store's keys; instances sharing counts share it.",
  }),
  "limits.redis_url": option({
    kind: "string",
    schema: url(["redis:", "rediss:"]),
    env: ["ASS_REDIS_URL", "REDIS_URL"],
    defaultText: "none (counts in memory)",
    description: "Redis that several instances share rate limit counts in.",
    secret: "url",
  }),
  "metrics.enabled": option({
    kind: "boolean",
    schema: flag(),
    env: ["ASS_METRICS"],
    default: true,
    description: "Serve Prometheus metrics at /metrics.",
  }),
  "metrics.token": option({
    kind: "string",
    schema: text(),
    env: ["ASS_METRICS_TOKEN"],
    defaultText: "the metrics token made at first start",
    description:
      "Bearer token a scraper must send to /metrics, instead of the ASS_METRICS_TOKEN printed at first start.",
    secret: true,
  }),
  "metrics.public": option({
    kind: "boolean",
    schema: flag(),
    env: ["ASS_METRICS_PUBLIC"],
    default: false,
    description:
      "Serve /metrics without a token to anyone who can reach the server (a private network or a filtering proxy only); ignored when metrics.token is set.",
  }),
  "broker.routes": option({
    kind: "tables",
    schema: brokerRoutes(),
    env: ["ASS_BROKER_ROUTES"],
    default: [],
    description:
      "Credential broker routes ([[broker.routes]]: name, upstream, secret, one of header / basic_user / query_parameter, optional path_prefixes, methods, timeout_seconds, max_body_bytes, approval (per_call), ca_file; JSON in the variable): /v1/broker/{name}/… forwards to the upstream with the secret injected.",
  }),
  "broker.ca_file": option({
    kind: "string",
    schema: text(),
    env: ["ASS_BROKER_CA_FILE"],
    defaultText: "Node's root CAs only",
    description:
      "PEM file of CA certificates an https broker upstream may also chain to (a private CA); a route's own ca_file replaces it. Upstream certificates are always verified.",
  }),
} as const satisfies Record<string, ServerOption>;

/** An option's key (`"server.port"`). */
export type ServerOptionKey = keyof typeof SERVER_OPTIONS;

/** Each option's value, undefined when nothing set it and it has no default. */
export type ServerOptionValues = {
  -readonly [K in ServerOptionKey]: z.infer<(typeof SERVER_OPTIONS)[K]["schema"]> | undefined;
};

/** The options in table order. */
export function serverOptionEntries(): [ServerOptionKey, ServerOption][] {
  return Object.entries(SERVER_OPTIONS) as [ServerOptionKey, ServerOption][];
}
