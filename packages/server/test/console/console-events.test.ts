import { afterEach, describe, expect, it } from "vitest";
import type { ApprovalEvents } from "../../src/approvals/approval-events.js";
import { bearer, createTestServer, putSecret, type TestServer } from "../helpers/test-server.js";
import { signIn } from "./console-helpers.js";

let server: TestServer;
let stream: AbortController | undefined;
afterEach(async () => {
  stream?.abort();
  await server?.app.close();
});

/** Opens `/console/events` over a real socket; `next(name)` resolves with that event's data. */
async function openEvents(cookie: string) {
  await server.app.listen({ host: "127.0.0.1", port: 0 });
  const address = server.app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  stream = new AbortController();
  const response = await fetch(`http://127.0.0.1:${address.port}/console/events`, {
    headers: { cookie },
    signal: stream.signal,
  });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  async function next(name: string): Promise<Record<string, unknown>> {
    for (;;) {
      const match = new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`).exec(buffered);
      if (match?.[1] !== undefined) {
        buffered = buffered.slice((match.index ?? 0) + match[0].length);
        return JSON.parse(match[1]);
      }
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) throw new Error(`the stream ended before ${name}`);
      buffered += decoder.decode(chunk.value, { stream: true });
    }
  }
  return { response, next };
}

describe("the console's event stream", () => {
  it("tells the page of a new request and of its decision, by id and status only", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "team/db-password", {
      value: "fixture-value",
      tier: "sensitive",
    });
    const { cookie } = await signIn(server);
    const { response, next } = await openEvents(cookie);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    await next("ready");
    const read = await server.app.inject({
      method: "GET",
      url: "/v1/secrets/team/db-password",
      headers: bearer(server.agentKey),
    });
    const approvalId = read.json().error.approval_request_id as string;
    expect(await next("approval")).toEqual({ approval_id: approvalId, status: "pending" });
    await server.app.inject({
      method: "POST",
      url: `/v1/approvals/${approvalId}/deny`,
      headers: bearer(server.adminKey),
      payload: {},
    });
    expect(await next("approval")).toEqual({ approval_id: approvalId, status: "denied" });
  });

  it("asks the page to re-read when the change feed has no tenant-wide subscription", async () => {
    const events: ApprovalEvents = { publish: () => {}, subscribe: () => () => {} };
    server = await createTestServer({ approvals: { events, recheckIntervalSeconds: 0.2 } });
    const { cookie } = await signIn(server);
    const { next } = await openEvents(cookie);
    await next("ready");
    expect(await next("refresh")).toEqual({});
  });

  it("is refused without a live session", async () => {
    server = await createTestServer();
    const response = await server.app.inject({ method: "GET", url: "/console/events" });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("UNAUTHORIZED");
  });
});
