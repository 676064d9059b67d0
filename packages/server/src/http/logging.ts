import type { FastifyServerOptions } from "fastify";
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
