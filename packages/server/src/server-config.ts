import type { lookup as dnsLookup } from "node:dns";
import type { FastifyBaseLogger } from "fastify";
import type { DestinationStream, LoggerOptions } from "pino";
import type { ApprovalEvents } from "./approvals/approval-events.js";
import type { RetryBackoffOptions } from "./approvals/retry-backoff.js";
import type { BrokerRoute } from "./broker/broker-route.js";
import type { ConsoleSettings } from "./console/console-settings.js";
import type { DatabaseConfig } from "./db/create-database.js";
import type { RateLimitRule } from "./rate-limit/rate-limiters.js";

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
  /**
   * How long a client may take to send a whole request (headers and body), in seconds; a slower
   * one is answered 408 and disconnected. Waiting for an answer (a long-poll) does not count.
   * @default 30
   */
  requestTimeoutSeconds?: number;
  /**
   * How long an idle keep-alive connection stays open, in seconds.
   * @default 5
   */
  keepAliveTimeoutSeconds?: number;
  /**
   * Connections open at once, from everyone; further ones are closed at once.
   * @default 4096
   */
  maxConnections?: number;
  /**
   * Connections open at once from one client address; further ones are closed at once.
   * @default 256
   */
  maxConnectionsPerAddress?: number;
  /**
   * Long-polls (`GET /v1/approvals/{id}?wait=`) waiting at once on this instance; further ones
   * get 503 with `Retry-After`.
   * @default 1000
   */
  maxLongPolls?: number;
  /**
   * Long-polls waiting at once for one agent or admin key (its tokens included); further ones
   * get 429 with `Retry-After`.
   * @default 20
   */
  maxLongPollsPerCredential?: number;
};

/** TLS material (PEM) to serve HTTPS. */
export type TlsOptions = { cert: string | Buffer; key: string | Buffer };

/** Where approval notifications go: `POST`s of signed JSON (see `verifyWebhookSignature`). */
export type WebhookSettings = {
  /** The receiver, an `http:` or `https:` URL. Only its origin appears in log lines. */
  url: string;
  /** The shared HMAC-SHA-256 signing secret, at least 16 characters. Never logged. */
  secret: string;
  /**
   * How many times a failed delivery is retried, with exponential backoff, unless
   * `webhooks.retries` is given.
   * @default 50
   */
  retries?: number;
  /**
   * How long one delivery attempt may take, in milliseconds.
   * @default 10000
   */
  timeoutMs?: number;
};

/**
 * How approval events are delivered from the durable outbox (server README, "Webhooks"), to each
 * tenant's own webhook or the operator's. `approvals.webhook.retries` and `.timeoutMs` apply when
 * these are not given.
 */
export type WebhookDeliverySettings = {
  /**
   * Retries after the first attempt before an event is given up on (kept as failed).
   * @default 50
   */
  retries?: number;
  /**
   * An event not delivered this long after it was committed is given up on, in seconds.
   * @default 86400 (24 hours)
   */
  giveUpAfterSeconds?: number;
  /**
   * How long one attempt may take, in milliseconds.
   * @default 10000
   */
  timeoutMs?: number;
  /** Delays between attempts. @default { baseMs: 1000, capMs: 300000, jitter: true } */
  backoff?: RetryBackoffOptions;
  /**
   * How long delivered events stay in the outbox before they are deleted, in seconds.
   * @default 604800 (7 days)
   */
  retentionSeconds?: number;
  /**
   * How long events given up on stay in the outbox (as `failed`), in seconds.
   * @default 2592000 (30 days)
   */
  failedRetentionSeconds?: number;
  /**
   * How often each instance looks at the outbox without a nudge (another instance's events,
   * retries that fell due), in milliseconds.
   * @default 1000
   */
  pollIntervalMs?: number;
  /**
   * Tenants delivered to at once by one instance (each tenant has one event in flight at most).
   * @default 8
   */
  concurrency?: number;
  /** The delivery clock (scheduling, give-up); for tests. @default real time */
  now?: () => Date;
  /** The resolver of receivers' host names; for tests (DNS is outside the vault). @default dns.lookup */
  lookup?: typeof dnsLookup;
};

/** Human approval settings (docs/protocol.md, "Tiers and approvals"). */
export type ApprovalSettings = {
  /**
   * How long a critical request waits after its second approval before it takes effect; anyone
   * may cancel it meanwhile. In seconds; `0` approves at once.
   * @default 300
   */
  criticalDelaySeconds?: number;
  /**
   * How long an agent's read request stays open before it expires, in seconds. A token's request
   * always expires with its token.
   * @default 86400 (24 hours)
   */
  requestTtlSeconds?: number;
  /**
   * Notify a webhook of `approval.requested` and every decision (`approval.granted`, `.denied`,
   * `.cancelled`, `.expired`): the events of every tenant without a webhook of its own
   * (`PUT /v1/webhook`). Each event is written to the outbox with its change and delivered
   * after commit, in commit order per tenant, also after restarts. A failing receiver never
   * blocks an approval. `startServer` reads `ASS_WEBHOOK_URL` and `ASS_WEBHOOK_SECRET`.
   * @default none
   */
  webhook?: WebhookSettings;
  /**
   * How often a long-poll re-reads its request anyway, in seconds: the bound on how late it hears
   * of a decision whose event was lost (another instance's, while the notification connection
   * was down).
   * @default 2
   */
  recheckIntervalSeconds?: number;
  /**
   * How long-polls learn of decisions, also those made on other instances.
   * @default PostgreSQL LISTEN/NOTIFY on PostgreSQL (createPostgresApprovalEvents), else
   * createInProcessApprovalEvents()
   */
  events?: ApprovalEvents;
};

/**
 * Rate limits (rate-limiter-flexible): a budget per authenticated credential, and a budget of
 * failed authentications per client address. Over budget: `429 RATE_LIMITED` with `retry_after`,
 * `Retry-After` and `RateLimit-*` headers. `/v1/health` and `/v1/openapi.json` are not limited.
 */
export type RateLimitSettings = {
  /**
   * Where counts live: `"memory"` (one instance), or a Redis URL that several instances share
   * (`startServer` reads `REDIS_URL`). While Redis is unreachable each instance limits in memory.
   * @default "memory"
   */
  store?: "memory" | { redisUrl: string };
  /**
   * Each caller's budget for all its requests: `points` requests per `durationSeconds`, then
   * refused for `blockSeconds` (0 = until the window ends). A caller is an agent or admin key, or
   * a token family (tokens count against the agent or admin that issued the root token).
   * @default { points: 1200, durationSeconds: 60, blockSeconds: 0 } (a 1,000-read burst passes)
   */
  perCredential?: Partial<RateLimitRule>;
  /**
   * The same caller's smaller budget for writes and token mints (every method but GET, HEAD and
   * OPTIONS), on top of `perCredential`; reads go on when it is spent.
   * @default { points: 120, durationSeconds: 60, blockSeconds: 0 }
   */
  writes?: Partial<RateLimitRule>;
  /**
   * Each client address's budget of failed authentications; once spent, further failures from
   * the address get 429 (all alike, whatever the bad credential), while requests whose
   * credential is valid are served as usual.
   * @default { points: 10, durationSeconds: 60, blockSeconds: 0 }
   */
  failedAuth?: Partial<RateLimitRule>;
  /**
   * Prefix of the store's keys; instances sharing counts must share it.
   * @default "ass:rl"
   */
  keyPrefix?: string;
};

/**
 * `GET /metrics` (Prometheus text): requests and latencies by route and status, token uses, pending
 * approvals, process metrics. Outside `/v1`: not rate limited, not in the OpenAPI document.
 */
export type MetricsSettings = {
  /**
   * Serve `/metrics` at all.
   * @default true
   */
  enabled?: boolean;
  /**
   * The token scrapers must send (`Authorization: Bearer <token>`) instead of the one made at
   * first start (`startServer` reads `ASS_METRICS_TOKEN`).
   * @default the metrics token made at first start (stored as a keyed hash)
   */
  token?: string;
  /**
   * Serve `/metrics` to anyone, without a token, on whatever address the server listens on: only
   * behind a private network or a proxy that filters it. Ignored when `token` is set.
   * @default false
   */
  public?: boolean;
  /**
   * Include prom-client's process metrics (CPU, memory, event loop lag).
   * @default true
   */
  processMetrics?: boolean;
};

/** The credential broker (docs/protocol.md, "Credential broker"). */
export type BrokerSettings = {
  /**
   * The routes agents call upstream APIs through, `/v1/broker/{name}/…`, each injecting one
   * secret's value that the caller never receives.
   * @default [] (no route)
   */
  routes?: readonly BrokerRoute[];
  /**
   * A PEM file of CA certificates every https upstream's certificate may also chain to (a
   * private CA), besides Node's roots; a route's own `caFile` replaces it. Always verified.
   * @default Node's roots only
   */
  caFile?: string;
};

/** Everything {@link createServer} needs. */
export type ServerConfig = {
  /** The 32-byte master key (see `loadOrCreateMasterKey`). */
  masterKey: Buffer;
  /**
   * Further master keys this instance holds: a rotation's new key (`master.key.next`) while
   * `ass server rotate-master-key` runs. Keys the database bridges are learnt without them.
   * @default []
   */
  extraMasterKeys?: readonly Buffer[];
  /**
   * How often the keyring is read again, so that a rotation another process runs is followed
   * (its new key learnt through the database) before the old key is retired, in seconds.
   * @default 5
   */
  keyringRefreshSeconds?: number;
  /**
   * Where the data lives: `{ kind: "sqlite", filename: ".ass-data/vault.db" }`, or
   * `{ kind: "postgres", url }` for several instances on one database.
   */
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
  /** Human approval: the critical delay, request lifetimes, the webhook, events. */
  approvals?: ApprovalSettings;
  /** Rate limits per credential and per address (sane defaults; see {@link RateLimitSettings}). */
  rateLimits?: RateLimitSettings;
  /** `GET /metrics` (see {@link MetricsSettings}). */
  metrics?: MetricsSettings;
  /**
   * The web console for approvers at `/console` (sign in with an admin key): `false` turns it
   * off; an object sets its session limits.
   * @default true
   */
  console?: boolean | ConsoleSettings;
  /**
   * Browser origins (`https://app.example.com`) allowed to call the API cross-origin (CORS).
   * @default [] (no CORS headers: browsers keep other sites from reading the API)
   */
  corsOrigins?: readonly string[];
  /** The credential broker's routes (see {@link BrokerSettings}). */
  broker?: BrokerSettings;
  /** How the webhook outbox delivers (see {@link WebhookDeliverySettings}). */
  webhooks?: WebhookDeliverySettings;
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
  /**
   * The token scrapers send to `/metrics` (`Authorization: Bearer ass_metrics_…`), used unless
   * {@link MetricsSettings.token} or {@link MetricsSettings.public} is set. Shown once.
   */
  metricsToken: string;
};
