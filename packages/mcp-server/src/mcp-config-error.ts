/**
 * The MCP server's configuration is wrong or unsafe (a bad destinations file, a missing HTTP
 * token, plain HTTP on a public address). Its message says what to fix; nothing was started.
 */
export class McpConfigError extends Error {
  override readonly name = "McpConfigError";
  /** Stable code for scripts and tests. */
  readonly code: string;

  constructor(message: string, code = "MCP_CONFIG") {
    super(message);
    this.code = code;
  }
}
