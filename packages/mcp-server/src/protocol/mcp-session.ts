import type { Server } from "@modelcontextprotocol/sdk/server/index.js";

/** One MCP session: its protocol server, and what ends it (revoking the tokens it obtained). */
export interface McpSession {
  readonly server: Server;
  /** Called once when the session ends (client gone, DELETE, idle, shutdown). */
  close(): Promise<void>;
}

/** What a session is opened with besides its id. */
export interface McpSessionOptions {
  /**
   * A scoped token the session's vault calls present instead of the server's own credential
   * (an HTTP caller's session token).
   */
  readonly vaultToken?: string;
}

/** Makes the session with the given id (its tools keep their tokens under that id). */
export type McpSessionFactory = (runId: string, options?: McpSessionOptions) => McpSession;
