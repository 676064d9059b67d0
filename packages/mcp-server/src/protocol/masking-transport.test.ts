import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { maskOutgoing } from "./masking-transport.js";

function recordingTransport(): Transport & { sent: JSONRPCMessage[] } {
  const sent: JSONRPCMessage[] = [];
  return {
    sent,
    start: async () => {},
    close: async () => {},
    send: async (message) => {
      sent.push(message);
    },
  };
}

// A stand-in for the shared masking: replaces one fixture value wherever it is in a string.
const mask = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value).replaceAll("fixture-value-1234", "[REDACTED]")) as T;

describe("maskOutgoing", () => {
  it("masks what results, errors and notifications carry", async () => {
    const transport = maskOutgoing(recordingTransport(), mask);
    await transport.send({
      jsonrpc: "2.0",
      id: 1,
      result: { content: [{ type: "text", text: "got fixture-value-1234" }] },
    });
    await transport.send({
      jsonrpc: "2.0",
      id: 2,
      error: { code: -32603, message: "failed near fixture-value-1234" },
    });
    await transport.send({
      jsonrpc: "2.0",
      method: "notifications/progress",
      params: { progressToken: 1, progress: 1, message: "fixture-value-1234" },
    });
    expect(JSON.stringify(transport.sent)).not.toContain("fixture-value-1234");
    expect(transport.sent).toHaveLength(3);
    expect(transport.sent[2]).toMatchObject({ method: "notifications/progress" });
  });

  it("leaves the envelope alone and sends a message without anything to mask unchanged", async () => {
    const inner = recordingTransport();
    const transport = maskOutgoing(inner, mask);
    const message: JSONRPCMessage = { jsonrpc: "2.0", id: 7, result: { tools: [] } };
    await transport.send(message);
    expect(inner.sent[0]).toEqual(message);
  });
});
