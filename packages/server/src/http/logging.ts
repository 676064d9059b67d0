import type { FastifyBaseLogger, FastifyServerOptions } from "fastify";
import type { ServerLoggerSetting } from "../server-config.js";
import { maskCredentials } from "../vault/vault-error.js";

/**
 * Paths pino blanks out. The server logs no bodies or headers by itself; these cover anything
 * that reaches a log line anyway (an error object, a plugin, a custom serializer).
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  "req.headers.authorization",
  'req.headers["x-agent-key"]',
  "headers.authorization",
  'headers["x-agent-key"]',
  "authorization",
  "value",
  "new_value",
  "token",
  "*.value",
  "*.new_value",
  "*.token",
  "*.authorization",
  "*.api_key",
  "*.admin_key",
];

/**
 * The paths of {@link REDACTED_LOG_PATHS} without a leading wildcard. A wildcard path makes pino's
 * redaction clone and check every top-level field of every line (about 10 µs a line, measured:
 * more than half of what a bare Fastify route costs); the per-request line holds only
 * primitives (id, method, masked URL, status, duration), where no wildcard path can match.
 */
const REQUEST_LINE_REDACTED_PATHS = REDACTED_LOG_PATHS.filter((path) => !path.startsWith("*."));

/**
 * The logger the one line per request goes to (with the request id as `reqId`, as the request's
 * own logger writes it), or null when requests are not logged. For the pino logger the server
 * builds itself, a child whose redaction leaves out the wildcard paths (see above), which cannot
 * match that line's fields; a logger instance of the caller's is used as given.
 */
export function requestLineLogger(
  log: FastifyBaseLogger,
  setting: ServerLoggerSetting | undefined,
): FastifyBaseLogger | null {
  if (setting === undefined || setting === false) return null;
  if (isLoggerInstance(setting)) return log;
  return log.child(
    {},
    {
      redact: { paths: REQUEST_LINE_REDACTED_PATHS, censor: "[redacted]" },
    },
  );
}

/** A request URL as the log shows it: a credential put in it by mistake loses all but its prefix. */
export function maskCredentialsInUrl(url: unknown): unknown {
  return typeof url === "string" ? maskCredentials(url) : url;
}

function isLoggerInstance(setting: ServerLoggerSetting): setting is FastifyLogger {
  return (
    typeof setting === "object" && typeof (setting as { child?: unknown }).child === "function"
  );
}

type FastifyLogger = NonNullable<FastifyServerOptions["loggerInstance"]>;

/** Fastify's `logger` / `loggerInstance` options for a logger setting, redaction included. */
export function fastifyLoggerOptions(
  setting: ServerLoggerSetting | undefined,
): Pick<FastifyServerOptions, "logger" | "loggerInstance"> {
  if (setting === undefined || setting === false) return { logger: false };
  if (isLoggerInstance(setting)) return { loggerInstance: setting };
  const options = setting === true ? {} : setting;
  return {
    logger: {
      level: "info",
      ...options,
      redact: { paths: [...REDACTED_LOG_PATHS], censor: "[redacted]" },
      serializers: { url: maskCredentialsInUrl },
    } as NonNullable<FastifyServerOptions["logger"]>,
  };
}

/**
 * Whether a request's logger writes info lines, so that the per-request line is built only then:
 * pino answers `isLevelEnabled`; a custom logger without it is assumed to.
 */
export function logsInfo(log: unknown): boolean {
  const isLevelEnabled = (log as { isLevelEnabled?: unknown }).isLevelEnabled;
  return typeof isLevelEnabled === "function" ? isLevelEnabled.call(log, "info") === true : true;
}
