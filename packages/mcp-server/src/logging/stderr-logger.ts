/** How much the MCP server writes to stderr. */
export type LogLevel = "silent" | "error" | "warn" | "info" | "debug";

/** The log levels, quietest first. */
export const LOG_LEVELS: readonly LogLevel[] = ["silent", "error", "warn", "info", "debug"];

/** Where the MCP server's diagnostics go; the same shape as the client's `Logger`. */
export interface McpLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link createStderrLogger}. */
export interface StderrLoggerOptions {
  /** Where lines go: stderr, since stdout carries only protocol messages in stdio mode. */
  readonly stream: { write(chunk: string): unknown };
  /** @default "info" */
  readonly level?: LogLevel;
  /** Applied to every line before it is written (the shared value-based redaction). */
  readonly mask: (text: string) => string;
}

/**
 * A logger writing one masked line per message to stderr:
 * `ass-mcp warn: message {"field":"value"}`. Never a value: each line goes through `mask`.
 */
export function createStderrLogger(options: StderrLoggerOptions): McpLogger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? "info");
  const write =
    (level: Exclude<LogLevel, "silent">) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (LOG_LEVELS.indexOf(level) > threshold) return;
      const details =
        fields === undefined || Object.keys(fields).length === 0 ? "" : ` ${safeJson(fields)}`;
      options.stream.write(`${options.mask(`ass-mcp ${level}: ${message}${details}`)}\n`);
    };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields);
  } catch {
    return "{…}";
  }
}
