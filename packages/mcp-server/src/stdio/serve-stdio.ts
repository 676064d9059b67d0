import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { McpLogger } from "../logging/stderr-logger.js";
import { type MaskJson, maskOutgoing } from "../protocol/masking-transport.js";
import type { McpSessionFactory } from "../protocol/mcp-session.js";

/** Options of {@link serveStdio}. */
export interface ServeStdioOptions {
  readonly openSession: McpSessionFactory;
  /** Applied to every message written to stdout. */
  readonly mask: MaskJson;
  readonly logger: McpLogger;
  /** @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
  /** Where protocol messages, and nothing else, are written. @default process.stdout */
  readonly stdout?: NodeJS.WritableStream;
  /** Ends the session (SIGTERM, SIGINT in the binary). */
  readonly signal?: AbortSignal;
}

/** The run id of the one stdio session (its tokens are kept under it). */
const STDIO_RUN_ID = "stdio";

/**
 * Serves one MCP session over stdin/stdout until stdin ends (the host closed it) or `signal`
 * aborts; then the session is closed (its tokens revoked) and the promise resolves.
 */
export async function serveStdio(options: ServeStdioOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const session = options.openSession(STDIO_RUN_ID);
  const transport = maskOutgoing(
    new StdioServerTransport(stdin as never, stdout as never),
    options.mask,
  );
  const ended = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  transport.onerror = (error) => options.logger.warn(`stdio transport: ${error.message}`);
  await session.server.connect(transport);
  options.logger.info("serving MCP on stdio");
  const stop = () => {
    void transport.close();
  };
  stdin.once("end", stop);
  stdin.once("close", stop);
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted === true) stop();
  await ended;
  options.signal?.removeEventListener("abort", stop);
  await session.close();
  options.logger.info("stdio session ended");
}
