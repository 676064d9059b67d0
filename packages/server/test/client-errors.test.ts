import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "./helpers/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** Listens on a loopback port and returns it. */
async function listening(): Promise<number> {
  server = await createTestServer();
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  const address = server.app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

type Exchange = { head: string; body: string; socketError: string | null };

/** Writes `raw` bytes to the server and reads everything it answers until it closes. */
function exchange(port: number, raw: string): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let socketError: string | null = null;
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      socketError = error.code ?? error.message;
    });
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      resolve({
        head: split === -1 ? text : text.slice(0, split),
        body: split === -1 ? "" : text.slice(split + 4),
        socketError,
      });
    });
    socket.write(raw);
  });
}

function errorOf(body: string): { code: string; message: string } {
  return (JSON.parse(body) as { error: { code: string; message: string } }).error;
}

describe("requests Node refuses before routing", () => {
  it("answers headers over 16 KiB with 431 in the API's error shape, without echoing them", async () => {
    const port = await listening();
    const credential = `ass_live_canary-value-header-${"x".repeat(20 * 1024)}`;
    const answer = await exchange(
      port,
      `GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${credential}\r\n\r\n`,
    );
    expect(answer.socketError).toBeNull();
    expect(answer.head).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer.head.toLowerCase()).toContain("content-type: application/json");
    expect(answer.head.toLowerCase()).toMatch(/x-request-id: req_/);
    expect(errorOf(answer.body)).toMatchObject({
      code: "VALIDATION_ERROR",
      message: expect.stringContaining("headers"),
    });
    expect(answer.body).not.toContain("canary-value-header");
  });

  it("answers a client still sending a megabyte of headers without resetting the connection", async () => {
    const port = await listening();
    const answer = await exchange(
      port,
      `GET /v1/health HTTP/1.1\r\nX-Padding: ${"z".repeat(1024 * 1024)}\r\n\r\n`,
    );
    expect(answer.socketError).toBeNull();
    expect(answer.head).toMatch(/^HTTP\/1\.1 431 /);
    expect(errorOf(answer.body).code).toBe("VALIDATION_ERROR");
  });

  it("answers a malformed request line with 400 in the API's error shape", async () => {
    const port = await listening();
    const answer = await exchange(port, "THIS IS NOT HTTP\r\n\r\n");
    expect(answer.socketError).toBeNull();
    expect(answer.head).toMatch(/^HTTP\/1\.1 400 /);
    expect(errorOf(answer.body).code).toBe("VALIDATION_ERROR");
  });

  it("keeps serving well-formed requests afterwards", async () => {
    const port = await listening();
    await exchange(port, `GET /v1/health HTTP/1.1\r\nX-Padding: ${"y".repeat(17 * 1024)}\r\n\r\n`);
    const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
    expect(health.status).toBe(200);
  });
});
