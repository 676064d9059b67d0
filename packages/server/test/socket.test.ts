import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MasterKeyMismatchError } from "../src/bootstrap.js";
import { type RunningServer, StartServerError, startServer } from "../src/start-server.js";
import { rawRequest } from "./helpers/raw-http.js";
import { startServerDatabase } from "./helpers/test-database.js";

// "startServer" is about the data folder, so it runs on SQLite in both vitest projects; the
// socket tests run on the engine under test.

const CANARY = "canary-value-socket-9e4f";

let servers: RunningServer[] = [];
let dataDir: string;
afterEach(async () => {
  for (const server of servers) await server.close();
  servers = [];
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
  const server = await startServer({ port: 0, dataDir, logger: false, env: {}, ...options });
  servers.push(server);
  return server;
}

async function newDataDir(): Promise<string> {
  dataDir = await mkdtemp(join(tmpdir(), "ass-socket-"));
  return join(dataDir, "data");
}

describe("startServer", () => {
  it("creates the data folder, key file and keys on first start, with private modes", async () => {
    const folder = await newDataDir();
    const server = await start({ dataDir: folder });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.baseUrl).toBe(`${server.url}/v1`);
    expect(server.firstStart).toMatchObject({
      adminKey: expect.stringMatching(/^ass_admin_/),
      agentKey: expect.stringMatching(/^ass_live_/),
      masterKeyCreated: true,
    });
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(join(folder, "master.key"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder, "vault.db"))).mode & 0o777).toBe(0o600);
    const health = await fetch(`${server.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get("x-request-id")).toBeTruthy();
  });

  it("reuses the data on a later start: no new keys, the old ones still work", async () => {
    const folder = await newDataDir();
    const first = await start({ dataDir: folder });
    const agentKey = first.firstStart?.agentKey ?? "";
    await fetch(`${first.baseUrl}/secrets/kept/one`, {
      method: "PUT",
      headers: { authorization: `Bearer ${agentKey}`, "content-type": "application/json" },
      body: JSON.stringify({ value: CANARY }),
    });
    await first.close();
    const second = await start({ dataDir: folder });
    expect(second.firstStart).toBeNull();
    const read = await fetch(`${second.baseUrl}/secrets/kept/one`, {
      headers: { authorization: `Bearer ${agentKey}` },
    });
    expect(((await read.json()) as { value: string }).value).toBe(CANARY);
  });

  it("takes the master key from ASS_MASTER_KEY without writing a key file, and refuses another key later", async () => {
    const folder = await newDataDir();
    const key = randomBytes(32).toString("base64");
    const server = await start({ dataDir: folder, env: { ASS_MASTER_KEY: key } });
    expect(server.firstStart?.masterKeyCreated).toBe(false);
    await expect(stat(join(folder, "master.key"))).rejects.toThrow();
    await server.close();
    await expect(
      start({ dataDir: folder, env: { ASS_MASTER_KEY: randomBytes(32).toString("base64") } }),
    ).rejects.toThrow(MasterKeyMismatchError);
  });

  it("refuses plain HTTP on a non-loopback address unless told it is behind a TLS proxy", async () => {
    const folder = await newDataDir();
    await expect(start({ dataDir: folder, host: "0.0.0.0" })).rejects.toThrow(StartServerError);
    await expect(start({ dataDir: folder, host: "10.1.2.3" })).rejects.toThrow(/insecure/i);
  });

  it("serves HTTPS with a certificate and key", async () => {
    const folder = await newDataDir();
    const fixtures = join(import.meta.dirname, "fixtures", "tls");
    const [cert, key] = await Promise.all([
      readFile(join(fixtures, "test-only-cert.pem")),
      readFile(join(fixtures, "test-only-key.pem")),
    ]);
    const server = await start({ dataDir: folder, tls: { cert, key } });
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpsRequest(`${server.baseUrl}/health`, { ca: cert }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.end();
    });
    expect(status).toBe(200);
  });
});

describe("over a real socket", () => {
  const hostile = [
    "a//b",
    "a/./b",
    "a/../b",
    "..",
    ".",
    "%2e%2e",
    "%2E%2E/etc",
    "a/%2e%2e/b",
    "a/%2e/b",
    "..%2F..%2Fetc%2Fpasswd",
    "a/b/",
    "%00",
    "a%0Ab",
    "a%20b",
    "caf%C3%A9",
    "a%zz",
    "%252e%252e",
  ];

  it("rejects every hostile path with a 400, never resolving dot segments", async () => {
    const server = await start({ dataDir: await newDataDir(), ...(await startServerDatabase()) });
    const agentKey = server.firstStart?.agentKey ?? "";
    for (const path of hostile) {
      for (const method of ["GET", "PUT", "DELETE"]) {
        const response = await rawRequest(server.port, {
          method,
          path: `/v1/secrets/${path}`,
          headers: { authorization: `Bearer ${agentKey}` },
          ...(method === "PUT" ? { body: JSON.stringify({ value: CANARY }) } : {}),
        });
        expect(response.statusCode, `${method} ${path}`).toBe(400);
        expect(JSON.parse(response.body).error.code).toBe("VALIDATION_ERROR");
        expect(response.headers["x-request-id"]).toBeTruthy();
      }
    }
  });

  it("lets an in-flight request finish on close, then closes the database", async () => {
    const server = await start({ dataDir: await newDataDir(), ...(await startServerDatabase()) });
    const agentKey = server.firstStart?.agentKey ?? "";
    const body = JSON.stringify({ value: CANARY });
    const response = new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: "127.0.0.1",
          port: server.port,
          method: "PUT",
          path: "/v1/secrets/slow/write",
          headers: {
            authorization: `Bearer ${agentKey}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (answer) => {
          answer.resume();
          resolve(answer.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      // Half the body now, so the request is in flight when close() starts.
      request.write(body.slice(0, 5));
      setTimeout(() => request.end(body.slice(5)), 200);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = server.close();
    expect(await response).toBe(201);
    await closed;
    await expect(fetch(`${server.baseUrl}/health`)).rejects.toThrow();
  });
});
