import { AgentVaultAuthError, AgentVaultNetworkError } from "@agentsecretstore/client";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { mcpErrorOf, toolResult } from "./tool-result.js";

describe("toolResult", () => {
  it("carries the outcome as structured content and as JSON text", () => {
    const outcome = { status: "ok", message: "Listed.", secrets: [] } as const;
    const result = toolResult(outcome, false);
    expect(result.structuredContent).toEqual(outcome);
    expect(result.content).toEqual([{ type: "text", text: JSON.stringify(outcome) }]);
    expect(result.isError).toBeUndefined();
  });

  it("flags a refusal with isError", () => {
    expect(toolResult({ status: "denied", message: "No." }, true).isError).toBe(true);
  });
});

describe("mcpErrorOf", () => {
  it("turns a rejected credential into an internal error that says what to check", () => {
    const error = mcpErrorOf(
      new AgentVaultAuthError("The vault rejected the credential.", {
        code: "UNAUTHORIZED",
        requestId: "req-1",
      }),
    );
    expect(error).toBeInstanceOf(McpError);
    expect(error.code).toBe(ErrorCode.InternalError);
    expect(error.message).toContain("ASS_AGENT_KEY");
    expect(error.data).toEqual({
      error: "AgentVaultAuthError",
      code: "UNAUTHORIZED",
      requestId: "req-1",
    });
  });

  it("points an unreachable vault to ASS_BASE_URL", () => {
    const error = mcpErrorOf(
      new AgentVaultNetworkError("connect ECONNREFUSED", { code: "NETWORK" }),
    );
    expect(error.message).toContain("ASS_BASE_URL");
  });

  it("keeps an MCP error as it is", () => {
    const original = new McpError(ErrorCode.InvalidParams, "bad");
    expect(mcpErrorOf(original)).toBe(original);
  });
});
