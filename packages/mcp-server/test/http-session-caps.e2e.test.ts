import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLER_A_TOKEN, CALLER_B_TOKEN, type HttpMcp, startHttpMcp } from "./support/http-mcp.js";

// A client that opens sessions and never ends them cannot grow the process: each caller holds
// at most its share, everyone together at most the total; ending one makes room again.

let vault: RunningVault;
let mcp: HttpMcp;

beforeAll(async () => {
  vault = await startVault();
  mcp = await startHttpMcp(vault, { maxSessionsPerCaller: 3, maxSessions: 5 });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await vault?.close();
});

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "session-caps-test", version: "1.0.0" },
  },
};

async function open(token: string): Promise<Response> {
  const response = await fetch(mcp.server.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(initialize),
  });
  await response.text();
  return response;
}

describe("session caps of the HTTP transport", () => {
  it("refuses a caller's session past its share with 429, the server's past the total with 503", async () => {
    const mine = [];
    for (let index = 0; index < 3; index += 1) mine.push(await open(CALLER_A_TOKEN));
    expect(mine.map((response) => response.status)).toEqual([200, 200, 200]);
    const fourth = await open(CALLER_A_TOKEN);
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get("retry-after")).toBe("60");

    // Another caller has a share of its own, up to the total of five.
    expect((await open(CALLER_B_TOKEN)).status).toBe(200);
    expect((await open(CALLER_B_TOKEN)).status).toBe(200);
    expect(mcp.server.sessionCount()).toBe(5);
    expect((await open(CALLER_B_TOKEN)).status).toBe(503);

    // Ending a session makes room again.
    const id = mine[0]?.headers.get("mcp-session-id") ?? "";
    const ended = await fetch(mcp.server.url, {
      method: "DELETE",
      headers: { authorization: `Bearer ${CALLER_A_TOKEN}`, "mcp-session-id": id },
    });
    expect(ended.status).toBeLessThan(300);
    expect((await open(CALLER_A_TOKEN)).status).toBe(200);
  });
});
