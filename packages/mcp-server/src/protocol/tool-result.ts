import type { VaultToolOutcome } from "@agentsecretstore/agent-tools";
import { type CallToolResult, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";

/**
 * The MCP result of a tool's outcome: the outcome as `structuredContent` (checked by clients
 * against the tool's `outputSchema`), the same JSON as text for clients that read only
 * `content`, and `isError` for answers the model should treat as a failure to act on.
 */
export function toolResult(outcome: VaultToolOutcome, isError: boolean): CallToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(outcome) }],
    structuredContent: outcome,
    ...(isError && { isError: true }),
  };
}

type ErrorFields = { name?: unknown; code?: unknown; message?: unknown; requestId?: unknown };

const HINTS: Record<string, string> = {
  AgentVaultAuthError:
    "The vault did not accept this MCP server's credential: check ASS_AGENT_KEY (or ASS_TOKEN) in the MCP server's configuration.",
  AgentVaultConfigurationError: "Fix the MCP server's configuration and restart it.",
  AgentVaultNetworkError:
    "The vault could not be reached: check ASS_BASE_URL (or ASS_API_URL) and that the vault is running.",
  AgentVaultTimeoutError:
    "The vault did not answer in time: check that it is running and reachable, then try again.",
  AgentVaultServerError: "The vault failed to handle the request; its logs have the details.",
};

/**
 * The JSON-RPC error for a failure the model cannot act on (authentication, configuration,
 * network, server): it goes to the MCP host, which shows it to the person running it. The
 * message is the client's (which never holds a value or a credential) plus what to do.
 */
export function mcpErrorOf(error: unknown): McpError {
  if (error instanceof McpError) return error;
  const fields = (typeof error === "object" && error !== null ? error : {}) as ErrorFields;
  const name = typeof fields.name === "string" ? fields.name : "Error";
  const message = typeof fields.message === "string" ? fields.message : String(error);
  const hint = HINTS[name] ?? "";
  const requestId = typeof fields.requestId === "string" ? fields.requestId : undefined;
  return new McpError(ErrorCode.InternalError, `${message}${hint === "" ? "" : ` ${hint}`}`, {
    error: name,
    ...(typeof fields.code === "string" && { code: fields.code }),
    ...(requestId !== undefined && { requestId }),
  });
}
