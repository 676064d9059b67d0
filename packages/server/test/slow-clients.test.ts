import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { bodyOf } from "./helpers/body-of.js";
import { bearer, createTestServer, requestToken, type TestServer } from "./helpers/test-server.js";

// Slow and greedy clients: a request must arrive whole within the request timeout (slow bodies
// and slow headers alike, with or without a credential), idle keep-alive sockets close, and one
// address cannot hold more than its share of connections. A long-poll's wait for its answer is
// not a slow request.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

async function listening(limits: NonNullable<Parameters<typeof createTestServer>[0]>["limits"]) {
  server = await createTestServer(limits === undefined ? {} : { limits });
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  const address = server.app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A socket that resolves `closed` with what the server sent and how long it stayed open. */
function open(port: number): { socket: Socket; closed: Promise<{ text: string; ms: number }> } {
  const socket = connect(port, "127.0.0.1");
  const started = Date.now();
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("error", () => {});
  const closed = new Promise<{ text: string; ms: number }>((resolve) => {
    socket.on("close", () =>
      resolve({ text: Buffer.concat(chunks).toString("utf8"), ms: Date.now() - started }),
    );
  });
  return { socket, closed };
}

describe("slow clients", () => {
  it("answers a body that trickles in with 408 and closes, with or without a credential", async () => {
    const port = await listening({ requestTimeoutSeconds: 2 });
    const agentKey = server?.agentKey ?? "";
    const sockets = [true, false].map((withKey) => {
      const connection = open(port);
      connection.socket.write(
        `PUT /v1/secrets/slow/body HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
          `${withKey ? `Authorization: Bearer ${agentKey}\r\n` : ""}Content-Length: 1000\r\n\r\n{"value":"`,
      );
      // One byte a second: never finishing in time.
      const drip = setInterval(() => connection.socket.write("a"), 1000);
      connection.closed.finally(() => clearInterval(drip));
      return connection.closed;
    });
    for (const closed of await Promise.all(sockets)) {
      expect(closed.text).toContain("408");
      expect(closed.ms).toBeLessThan(8000);
    }
  }, 30_000);

  it("closes a connection whose headers never end", async () => {
    const port = await listening({ requestTimeoutSeconds: 2 });
    const { socket, closed } = open(port);
    socket.write("GET /v1/health HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => socket.write("X-Slow: 1\r\n"), 500);
    const { ms } = await closed;
    clearInterval(drip);
    expect(ms).toBeLessThan(8000);
  }, 30_000);

  it("closes an idle keep-alive connection after its timeout", async () => {
    const port = await listening({ keepAliveTimeoutSeconds: 1 });
    const { socket, closed } = open(port);
    socket.write("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    const { text, ms } = await closed;
    expect(text).toContain("200 OK");
    expect(ms).toBeLessThan(5000);
  }, 30_000);

  it("keeps a long-poll open past the request timeout: waiting for an answer is not slow", async () => {
    const port = await listening({ requestTimeoutSeconds: 1 });
    const current = server as TestServer;
    await current.app.inject({
      method: "PUT",
      url: "/v1/secrets/slow/gated",
      headers: bearer(current.adminKey),
      payload: { value: "slow-fixture", tier: "sensitive" },
    });
    const pending = await requestToken(current, current.agentKey, { scope: "secrets:read:slow/*" });
    const approvalId = pending.body.approval_request_id as string;
    const started = Date.now();
    const answer = await fetch(`http://127.0.0.1:${port}/v1/approvals/${approvalId}?wait=4`, {
      headers: bearer(current.agentKey),
    });
    expect(answer.status).toBe(200);
    expect((await bodyOf(answer)).status).toBe("pending");
    expect(Date.now() - started).toBeGreaterThan(3000);
  }, 30_000);
});

describe("connection caps", () => {
  it("closes connections from one address past its cap, and serves again once they go", async () => {
    const port = await listening({ maxConnectionsPerAddress: 4 });
    const held = Array.from({ length: 4 }, () => open(port));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const extra = open(port);
    const refused = await extra.closed;
    expect(refused.text).toBe("");
    expect(refused.ms).toBeLessThan(2000);
    for (const connection of held) connection.socket.destroy();
    await Promise.all(held.map((connection) => connection.closed));
    const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
    expect(health.status).toBe(200);
  }, 30_000);
});
