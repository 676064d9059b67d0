import type { Server } from "@modelcontextprotocol/sdk/server/index.js";

/** One MCP session: its protocol server, and what ends it (revoking the tokens it obtained). */
export interface McpSession {
  readonly server: Server;
  /** Called once when the session ends (client gone, DELETE, idle, shutdown). */
  close(): Promise<void>;
}

/** Makes the session with the given id (its tools keep their tokens under that id). */
export type McpSessionFactory = (runId: string) => McpSession;
