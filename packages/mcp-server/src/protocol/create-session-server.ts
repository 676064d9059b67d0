import { isErrorOutcome, type VaultTool } from "@agentsecretstore/agent-tools";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { toJsonSchemaCompat } from "@modelcontextprotocol/sdk/server/zod-json-schema-compat.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import type { McpLogger } from "../logging/stderr-logger.js";
import { PACKAGE_VERSION } from "../package-version.js";
import { withProgressHeartbeat } from "./progress-heartbeat.js";
import { mcpErrorOf, toolResult } from "./tool-result.js";

/** Options of {@link createSessionServer}. */
export interface SessionServerOptions {
  /** The tools to expose, in the order they are listed. */
  readonly tools: readonly VaultTool[];
  /** The session every call of this server belongs to (per-session tokens). */
  readonly runId: string;
  /** A scoped token every vault call of the session presents (instead of the server's own). */
  readonly vaultToken?: string;
  readonly logger: McpLogger;
  /**
   * Time between two progress notifications while a tool call runs, in ms (sent only when
   * the client asked for progress with a `progressToken`).
   * @default 5_000
   */
  readonly progressIntervalMs?: number;
}

const INSTRUCTIONS =
  "Tools of an Agent Secret Store vault. They work with secret paths and metadata; secret values never come back to you. To use a credential, call call_api_with_secret, which puts it into the request itself. When a result is pending_approval, tell the user that a person must approve the request (its approvalRequestId) and check it with check_approval_status.";

// Hints for MCP hosts (which may ask the user before a call that changes something).
const ANNOTATIONS: Record<string, ToolAnnotations> = {
  list_secrets: { title: "List secrets", readOnlyHint: true, openWorldHint: false },
  get_secret_metadata: { title: "Describe a secret", readOnlyHint: true, openWorldHint: false },
  request_secret_access: { title: "Ask for access", readOnlyHint: false, openWorldHint: false },
  check_approval_status: { title: "Check an approval", readOnlyHint: true, openWorldHint: false },
  set_secret: { title: "Store a secret", destructiveHint: false, openWorldHint: false },
  rotate_secret: { title: "Rotate a secret", destructiveHint: true, openWorldHint: false },
  call_api_with_secret: { title: "Call an API with a secret", openWorldHint: true },
  get_secret: { title: "Read a secret value", readOnlyHint: true, openWorldHint: false },
};

function describeWait(toolName: string, input: Record<string, unknown>) {
  return (elapsedSeconds: number): string =>
    toolName === "check_approval_status"
      ? `Waiting for a person to decide approval request ${String(input.approvalRequestId)} (${elapsedSeconds} s so far).`
      : `${toolName} is still running (${elapsedSeconds} s so far).`;
}

function listed(tool: VaultTool): Tool {
  const annotations = ANNOTATIONS[tool.name];
  return {
    name: tool.name,
    ...(annotations?.title !== undefined && { title: annotations.title }),
    description: tool.description,
    inputSchema: toJsonSchemaCompat(tool.inputSchema, {
      pipeStrategy: "input",
    }) as Tool["inputSchema"],
    outputSchema: toJsonSchemaCompat(tool.outputSchema, {
      pipeStrategy: "output",
    }) as Tool["outputSchema"],
    ...(annotations !== undefined && { annotations }),
  };
}

/**
 * The MCP server of one session: `tools/list` and `tools/call` over the given tools. A call's
 * outcome becomes `structuredContent` (with `isError` for refusals the model can act on); a
 * failure it cannot act on (authentication, configuration, network) becomes a JSON-RPC error
 * for the host. While a call runs, progress notifications keep the client's timeout from
 * firing; a cancelled request aborts the call's vault requests.
 */
export function createSessionServer(options: SessionServerOptions): Server {
  const { tools, logger, runId } = options;
  const byName = new Map<string, VaultTool>(tools.map((tool) => [tool.name, tool]));
  const listing = tools.map(listed);
  const server = new Server(
    { name: "agentsecretstore", title: "Agent Secret Store", version: PACKAGE_VERSION },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listing }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const tool = byName.get(name);
    if (tool === undefined) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown tool ${name}. Available: ${[...byName.keys()].join(", ")}.`,
      );
    }
    // The tool checks the arguments itself and answers invalid ones as invalid_request.
    const input = request.params.arguments ?? {};
    logger.debug(`tools/call ${name}`, { session: runId });
    try {
      const outcome = await withProgressHeartbeat(
        tool.execute(
          {
            runId,
            signal: extra.signal,
            ...(options.vaultToken !== undefined && { vaultToken: options.vaultToken }),
          },
          input,
        ),
        {
          progressToken: request.params._meta?.progressToken,
          send: (notification) => extra.sendNotification(notification),
          intervalMs: options.progressIntervalMs ?? 5_000,
          describe: describeWait(name, input),
        },
      );
      logger.debug(`tools/call ${name}: ${outcome.status}`, { session: runId });
      return toolResult(outcome, isErrorOutcome(outcome));
    } catch (error) {
      if (extra.signal.aborted) {
        logger.info(`tools/call ${name} cancelled by the client`, { session: runId });
        throw error;
      }
      const mcpError = mcpErrorOf(error);
      logger.warn(`tools/call ${name} failed: ${mcpError.message}`, { session: runId });
      throw mcpError;
    }
  });
  return server;
}
