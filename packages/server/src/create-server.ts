import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import fastifySwagger from "@fastify/swagger";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import { type ApprovalEvents, createInProcessApprovalEvents } from "./approvals/approval-events.js";
import {
  approvalChannelFor,
  createPostgresApprovalEvents,
} from "./approvals/postgres-approval-events.js";
import { bootstrapVault } from "./bootstrap.js";
import { resolveBrokerRoutes } from "./broker/broker-route.js";
import { consolePlugin } from "./console/console-plugin.js";
import { resolveConsoleSettings } from "./console/console-settings.js";
import type { MasterKeyring } from "./crypto/keyring.js";
import { deriveKey } from "./crypto/keys.js";
import { createDatabase, type OpenedDatabase } from "./db/create-database.js";
import { migrateToLatest } from "./db/migrate.js";
import { limitConnections } from "./http/connection-limits.js";
import { installCors } from "./http/cors.js";
import { installErrorHandlers, sendApiError, toApiError } from "./http/error-handler.js";
import { TransportError } from "./http/error-status.js";
import { installJsonBodyParser } from "./http/json-body-parser.js";
import { compiledSerializerCompiler } from "./http/json-serializer.js";
import { fastifyLoggerOptions, requestLineLogger } from "./http/logging.js";
import { LongPollLimits } from "./http/long-poll-limits.js";
import { openApiDocumentTransform, openApiTransform } from "./http/openapi-transform.js";
import { installRequestHooks } from "./http/request-hooks.js";
import { requestIdFor } from "./http/request-id.js";
import { type MetricsAccess, registerMetricsRoute } from "./http/routes/metrics.js";
import { registerRoutes } from "./http/routes/register-routes.js";
import { rejectingForbiddenText } from "./http/schemas/request-text.js";
import type { VaultApp } from "./http/vault-app.js";
import { createVaultMetrics } from "./metrics/vault-metrics.js";
import { openKeyring } from "./open-keyring.js";
import { rateLimitPlugin } from "./rate-limit/rate-limit-plugin.js";
import { resolveRateLimits } from "./rate-limit/rate-limit-settings.js";
import type { FirstStartCredentials, ServerConfig } from "./server-config.js";
import { createDataAccess } from "./store/stores.js";
import { loadSettledApproval } from "./vault/approval-decisions.js";
import { ApprovalTimers } from "./vault/approval-timers.js";
import { createVaultContext, type VaultContext } from "./vault/vault-context.js";
import { type VaultServer, vaultServerOf } from "./vault-server.js";
import { createWebhookOutbox, operatorWebhookOf } from "./webhooks/create-webhook-outbox.js";

/** 64 KiB: docs/protocol.md's default for a secret value. */
const DEFAULT_MAX_VALUE_BYTES = 64 * 1024;

/**
 * Builds the vault server: opens the database, runs migrations, creates the default tenant
 * and keys on an empty database, and registers every route. Call `listen()` to serve, or
 * `inject()` to test without a socket; `close()` waits for in-flight requests, then closes the
 * database.
 *
 * @example
 * const app = await createServer({ masterKey, database: { kind: "sqlite", filename: ":memory:" } });
 * const response = await app.inject({ method: "GET", url: "/v1/health" });
 */
export async function createServer(config: ServerConfig): Promise<VaultServer> {
  // Configuration mistakes throw here, before anything is opened.
  let log: FastifyBaseLogger | undefined;
  operatorWebhookOf(config);
  const approvalPolicy = {
    ...(config.approvals?.criticalDelaySeconds === undefined
      ? {}
      : { criticalDelaySeconds: config.approvals.criticalDelaySeconds }),
    ...(config.approvals?.requestTtlSeconds === undefined
      ? {}
      : { requestTtlSeconds: config.approvals.requestTtlSeconds }),
  };
  for (const [name, value] of Object.entries(approvalPolicy)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`approvals.${name} must be a finite number of seconds ≥ 0`);
    }
  }
  const recheckSeconds = config.approvals?.recheckIntervalSeconds ?? 2;
  if (!Number.isFinite(recheckSeconds) || recheckSeconds <= 0) {
    throw new RangeError("approvals.recheckIntervalSeconds must be a finite number of seconds > 0");
  }
  const consoleSettings = resolveConsoleSettings(config.console);
  const brokerRoutes = resolveBrokerRoutes(config.broker?.routes ?? [], "broker.routes", {
    caFile: config.broker?.caFile,
  });
  const rateLimits = resolveRateLimits(config.rateLimits, () => log);

  let database: OpenedDatabase;
  try {
    database = createDatabase(config.database, (error) =>
      log?.warn(
        { code: (error as NodeJS.ErrnoException).code },
        "An idle database connection failed",
      ),
    );
  } catch (error) {
    // A bad database URL or file: release the rate limit store's connection opened above.
    await rateLimits.close();
    throw error;
  }
  const now = config.now ?? (() => new Date());
  let keyring: MasterKeyring;
  try {
    // Migrations 005 and 007 key an old vault's rows; an old vault's vault key is its master key.
    await migrateToLatest(database, {
      auditKey: deriveKey(config.masterKey, "audit"),
      metadataKey: deriveKey(config.masterKey, "secret-metadata"),
    });
    keyring = await openKeyring(
      database,
      [config.masterKey, ...(config.extraMasterKeys ?? [])],
      now,
    );
  } catch (error) {
    await database.db.destroy();
    await rateLimits.close();
    throw error;
  }
  const auditKey = deriveKey(keyring.vaultKey, "audit");
  const metadataKey = deriveKey(keyring.vaultKey, "secret-metadata");
  const data = createDataAccess(database, { auditKey, metadataKey });
  const approvalEvents = config.approvals?.events ?? defaultApprovalEvents(database, () => log);
  const metricsEnabled = config.metrics?.enabled !== false;
  const metrics = createVaultMetrics({
    // The operator's tenant only: the metrics token is the operator's, and no tenant's figures
    // may reach another tenant (docs/security.md).
    pendingApprovals: async () => {
      const operatorTenant = await data.principals.findOperatorTenant();
      if (operatorTenant === undefined) return [];
      return data.approvals.countPendingByTier(operatorTenant.id, now().toISOString());
    },
    webhookEvents: async () => {
      const operatorTenant = await data.principals.findOperatorTenant();
      if (operatorTenant === undefined) return { pending: 0, delivered: 0, failed: 0 };
      return data.webhooks.countByState(operatorTenant.id);
    },
    ...(config.metrics?.processMetrics === undefined
      ? {}
      : { processMetrics: config.metrics.processMetrics }),
  });
  const maxValueBytes = config.limits?.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
  // A value can grow six-fold as JSON (\u escapes); leave room for that and the other fields.
  const bodyLimitBytes =
    config.limits?.bodyLimitBytes ?? Math.max(1024 * 1024, maxValueBytes * 6 + 64 * 1024);
  const closingController = new AbortController();
  const webhooks = createWebhookOutbox(config, {
    store: data.webhooks,
    keys: keyring,
    logger: { warn: (details, message) => log?.warn(details, message) },
  });
  const context: VaultContext = createVaultContext({
    data,
    keyring,
    now,
    log: {
      error: (details, message) => log?.error(details, message),
      warn: (details, message) => log?.warn(details, message),
    },
    maxValueBytes,
    bodyLimitBytes,
    agentGrantSeconds: config.agentGrantSeconds ?? 3600,
    closing: closingController.signal,
    approvalPolicy,
    approvalEvents,
    approvalRecheckMs: recheckSeconds * 1000,
    webhookOutbox: webhooks.outbox,
    metrics,
    approvalTimers: {
      schedule: (tenantId, approvalId, at) => approvalTimers.schedule(tenantId, approvalId, at),
    },
  });
  const approvalTimers = new ApprovalTimers(now, async (tenantId, approvalId) => {
    try {
      const view = await loadSettledApproval(context, tenantId, approvalId);
      // Still waiting (a clock that moved back, or a delay longer than one timer): look again then.
      if (view?.record.status === "pending" && view.record.eligibleAt !== null) {
        approvalTimers.schedule(tenantId, approvalId, new Date(view.record.eligibleAt));
      }
    } catch (error) {
      log?.warn({ err: error, approval_id: approvalId }, "Settling an approval request failed");
    }
  });

  let firstStart: FirstStartCredentials | null;
  try {
    await rateLimits.ready();
    firstStart = config.bootstrap === false ? null : await bootstrapVault(context);
    // Listening before the first request, so no decision of another instance is missed.
    if (config.approvals?.events === undefined) await readyOf(approvalEvents);
  } catch (error) {
    await approvalEvents.close?.();
    await data.close();
    await rateLimits.close();
    throw error;
  }

  const trustedProxies = [...(config.trustedProxies ?? [])];
  const requestTimeoutMs = (config.limits?.requestTimeoutSeconds ?? 30) * 1000;
  const options: FastifyServerOptions & {
    https?: unknown;
    http?: { connectionsCheckingInterval: number };
  } = {
    ...fastifyLoggerOptions(config.logger),
    bodyLimit: bodyLimitBytes,
    genReqId: requestIdFor,
    requestIdHeader: false,
    // One line per request, written by our onResponse hook, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Believe X-Forwarded-For only from the configured proxies (proxy-addr semantics).
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    return503OnClosing: false,
    // Slow clients: a request must arrive whole in time (a long-poll's wait for its answer does
    // not count), idle keep-alive sockets close; test/slow-clients.test.ts.
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: (config.limits?.keepAliveTimeoutSeconds ?? 5) * 1000,
    clientErrorHandler: (error, socket) => answerClientError(error, socket, log),
    frameworkErrors: (error, request, reply) => {
      reply.header("x-request-id", request.id);
      sendApiError(reply, toApiError(error, bodyLimitBytes));
    },
    // Node looks for requests past their time every connectionsCheckingInterval (30 s by default).
    http: { connectionsCheckingInterval: CONNECTION_CHECK_MS },
    ...(config.tls
      ? {
          https: {
            cert: config.tls.cert,
            key: config.tls.key,
            connectionsCheckingInterval: CONNECTION_CHECK_MS,
          },
        }
      : {}),
  };
  const app = Fastify(options) as unknown as VaultApp;
  // Node enforces requestTimeout only when headersTimeout is not longer (its constructor makes
  // it so; Fastify sets requestTimeout afterwards): headers get at most 10 s of it.
  app.server.headersTimeout = Math.min(requestTimeoutMs, 10_000);
  limitConnections(app.server, {
    max: config.limits?.maxConnections ?? 4096,
    perAddress: config.limits?.maxConnectionsPerAddress ?? 256,
  });
  log = app.log;
  const vaultServer = vaultServerOf(app as unknown as FastifyInstance, () => firstStart);
  firstKeysAfterListen.set(vaultServer, async (beforeCreate) => {
    firstStart = await bootstrapVault({ ...context, beforeCreate });
    return firstStart;
  });
  app.setValidatorCompiler(rejectingForbiddenText(validatorCompiler));
  app.setSerializerCompiler(compiledSerializerCompiler);

  installRequestHooks(app as unknown as FastifyInstance, {
    metrics,
    closing: closingController.signal,
    requestLog: requestLineLogger(app.log, config.logger),
  });
  app.addHook("preClose", async () => {
    closingController.abort();
  });
  // Another process's rotation (rotate-master-key.ts) is learnt while its bridge is there.
  const keyringRefresh = setInterval(
    () => {
      data.keyring.list().then(
        (rows) => keyring.absorb(rows),
        (error: unknown) => log?.warn({ err: error }, "Reading the keyring failed"),
      );
    },
    (config.keyringRefreshSeconds ?? 5) * 1000,
  );
  keyringRefresh.unref();
  app.addHook("onClose", async () => {
    clearInterval(keyringRefresh);
    approvalTimers.close();
    // Deliveries due now get a few seconds; a dead receiver cannot hold the close, and what is
    // not delivered stays in the outbox for the next start.
    await webhooks.deliverer.close();
    await context.approvalEvents.close?.();
    await rateLimits.close();
    await data.close();
  });

  installErrorHandlers(app as unknown as FastifyInstance, bodyLimitBytes);
  installCors(app as unknown as FastifyInstance, config.corsOrigins ?? []);
  installJsonBodyParser(app as unknown as FastifyInstance);
  await app.register(rateLimitPlugin, rateLimits.options);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Agent Secret Store",
        version: "1",
        description:
          "The wire protocol v1 of the self-hostable Agent Secret Store (see docs/protocol.md). Every error is `{error: {code, message, ...details}}`; every response carries x-request-id. Authenticated requests are rate limited per credential, and failed authentications per client address: 429 RATE_LIMITED with retry_after, Retry-After and RateLimit-Limit/-Remaining/-Reset (the latter on every authenticated answer). /v1/health and /v1/openapi.json are not limited. Writes (PUT, POST, PATCH, rotate, import, approval decisions) honour Idempotency-Key.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          agentKey: { type: "apiKey", in: "header", name: "x-agent-key" },
        },
      },
      security: [{ bearer: [] }, { agentKey: [] }],
    },
    transform: openApiTransform,
    transformObject: openApiDocumentTransform as never,
  });
  registerRoutes(app, context, {
    longPolls: new LongPollLimits(
      config.limits?.maxLongPolls ?? 1000,
      config.limits?.maxLongPollsPerCredential ?? 20,
    ),
    brokerRoutes,
  });
  if (consoleSettings !== null)
    await app.register(consolePlugin, { context, settings: consoleSettings });
  if (metricsEnabled)
    registerMetricsRoute(app, { metrics, access: metricsAccess(config, context) });
  // Events an earlier run left undelivered go out now; new ones as they commit.
  webhooks.deliverer.start();
  return vaultServer;
}

/** Who may scrape `/metrics` (see `MetricsSettings`). */
function metricsAccess(config: ServerConfig, context: VaultContext): MetricsAccess {
  const token = config.metrics?.token;
  if (token !== undefined) return { kind: "configured", token };
  if (config.metrics?.public === true) return { kind: "public" };
  return {
    kind: "stored",
    findHash: () => context.data.principals.findMetricsTokenHash(),
    credentialHmacKey: context.credentialHmacKey,
  };
}

type CreateFirstKeys = (beforeCreate: () => Promise<void>) => Promise<FirstStartCredentials | null>;
const firstKeysAfterListen = new WeakMap<object, CreateFirstKeys>();

/**
 * For `startServer`, which builds the app with `bootstrap: false` so that nothing is created before
 * the port is bound: creates the first keys now (or checks the master key against existing data),
 * and sets the server's `firstStart`. `beforeCreate` runs in the same transaction just before the keys are
 * made; what it throws rolls them back.
 */
export function createFirstKeys(
  app: VaultServer,
  beforeCreate: () => Promise<void>,
): Promise<FirstStartCredentials | null> {
  const create = firstKeysAfterListen.get(app);
  if (create === undefined) throw new TypeError("not an app made by createServer");
  return create(beforeCreate);
}

/** How long a socket whose request Node refused may linger for the client to read the answer. */
const CLIENT_ERROR_LINGER_MS = 1000;

/**
 * Answers a request that Node's HTTP parser refused before Fastify saw it (headers over Node's
 * 16 KiB, a malformed request line, a timeout) with docs/protocol.md's error shape instead of Node's or
 * Fastify's bare text. The socket is ended, not destroyed, and what the client still sends is
 * read and dropped: destroying a socket with unread data makes the kernel send a reset, and the
 * client then loses the answer. Nothing of the request is echoed (its headers may hold a
 * credential).
 */
/** How often Node looks for requests that took too long to arrive, in milliseconds. */
const CONNECTION_CHECK_MS = 1000;

function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  log: FastifyBaseLogger | undefined,
): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const apiError =
    error.code === "HPE_HEADER_OVERFLOW"
      ? new TransportError(
          431,
          "VALIDATION_ERROR",
          "The request headers are too large (over 16 KiB together); send fewer or shorter headers",
          { issues: [{ field: "headers", message: "larger than 16 KiB" }] },
        )
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? new TransportError(
            408,
            "VALIDATION_ERROR",
            "The request did not arrive in time; send it again",
          )
        : new TransportError(400, "VALIDATION_ERROR", "The request is not valid HTTP/1.1", {
            issues: [{ field: "request", message: "malformed request line or headers" }],
          });
  log?.debug({ code: error.code, statusCode: apiError.statusCode }, "client error");
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(apiError.toBody());
  socket.on("data", () => {});
  socket.on("error", () => {});
  socket.end(
    `HTTP/1.1 ${apiError.statusCode} ${STATUS_CODES[apiError.statusCode] ?? "Error"}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: req_${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
}

/** Approval events across instances on PostgreSQL (LISTEN/NOTIFY), in-process on SQLite. */
function defaultApprovalEvents(
  database: OpenedDatabase,
  log: () => FastifyBaseLogger | undefined,
): ApprovalEvents {
  if (database.postgres === null) return createInProcessApprovalEvents();
  return createPostgresApprovalEvents({
    connection: database.postgres.clientConfig,
    channel: approvalChannelFor(database.postgres.schema),
    logger: { warn: (details, message) => log()?.warn(details, message) },
  });
}

async function readyOf(events: ApprovalEvents): Promise<void> {
  const ready = (events as { ready?: () => Promise<void> }).ready;
  if (typeof ready === "function") await ready.call(events);
}
