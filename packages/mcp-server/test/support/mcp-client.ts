import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type CallToolResult,
  CallToolResultSchema,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";

export const packageDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** An MCP SDK client connected to our server, with every message it received recorded. */
export interface ConnectedClient {
  readonly client: Client;
  /** Every JSON-RPC message the server sent: results, errors, notifications. */
  readonly received: JSONRPCMessage[];
  /** Calls a tool and returns its result (`isError` results included). */
  call(name: string, args: Record<string, unknown>, options?: CallOptions): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Ask for progress notifications; each one is passed here. */
  readonly onProgress?: (progress: { progress: number; message?: string | undefined }) => void;
  /** The client's own request timeout, in ms. */
  readonly timeout?: number;
}

async function connect(transport: Transport): Promise<ConnectedClient> {
  const client = new Client({ name: "mcp-test-client", version: "1.0.0" });
  await client.connect(transport);
  const received: JSONRPCMessage[] = [];
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    received.push(message);
    deliver?.(message, extra);
  };
  return {
    client,
    received,
    call: async (name, args, options = {}) =>
      (await client.callTool({ name, arguments: args }, CallToolResultSchema, {
        ...(options.signal !== undefined && { signal: options.signal }),
        ...(options.onProgress !== undefined && {
          onprogress: options.onProgress,
          resetTimeoutOnProgress: true,
        }),
        ...(options.timeout !== undefined && { timeout: options.timeout }),
      })) as CallToolResult,
    close: () => client.close(),
  };
}

/** A real `ass-mcp` process (from source), spoken to over stdio; its stderr is collected. */
export async function connectStdio(
  env: Record<string, string>,
  args: readonly string[] = [],
  /** The binary to run, from source. @default this package's `ass-mcp` */
  bin: { cwd: string; entry: string } = { cwd: packageDir, entry: "src/bin.ts" },
): Promise<ConnectedClient & { stderr(): string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--conditions=source", "--import", "tsx", bin.entry, ...args],
    cwd: bin.cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const connected = await connect(transport);
  return { ...connected, stderr: () => stderr };
}

/** An SDK client over Streamable HTTP, presenting `bearerToken`. */
export function connectHttp(url: string, bearerToken: string): Promise<ConnectedClient> {
  return connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${bearerToken}` } },
    }),
  );
}

/** A tool result's structured content (what the tool's outputSchema describes). */
export function structured(result: CallToolResult): Record<string, unknown> {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const first = result.content[0];
  return first?.type === "text" ? (JSON.parse(first.text) as Record<string, unknown>) : {};
}
