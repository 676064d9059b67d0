/** Where `ass-mcp` reads and writes; `process` in the binary, streams in tests. */
export interface McpIo {
  /** Protocol messages in (stdio mode). */
  readonly stdin: NodeJS.ReadableStream;
  /** Protocol messages out, and nothing else, in stdio mode. */
  readonly stdout: NodeJS.WritableStream;
  /** Logs and errors. */
  readonly stderr: { write(chunk: string): unknown };
  /** `ASS_BASE_URL` / `ASS_API_URL`, `ASS_AGENT_KEY` / `ASS_TOKEN`, `ASS_MCP_*`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted to stop the server (SIGTERM, SIGINT in the binary). */
  readonly signal?: AbortSignal;
}
