import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { connect, createServer as createNetServer, type Server, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../src/create-server.js";
import { READINESS_FRESH_MS } from "../src/vault/readiness.js";
import type { VaultServer } from "../src/vault-server.js";
import { createTestSchema, TEST_POSTGRES_URL } from "./helpers/test-database.js";
import { createTestServer } from "./helpers/test-server.js";

const { version } = JSON.parse(
  await readFile(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

let apps: VaultServer[] = [];
let proxy: { server: Server; sockets: Set<Socket> } | undefined;
afterEach(async () => {
  for (const app of apps) await app.close();
  apps = [];
  if (proxy) await closeProxy(proxy);
  proxy = undefined;
});

describe("GET /v1/health", () => {
  it("answers ok with the version and the database's state, keeping status and time", async () => {
    const server = await createTestServer();
    apps.push(server.app);
    const response = await server.app.inject({ method: "GET", url: "/v1/health" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: "ok",
      time: "2026-01-15T10:00:00.000Z",
      version,
      database: "ok",
      master_key: "ok",
    });
  });

  it("answers 503 unavailable while PostgreSQL does not answer, and ok again once it does", async () => {
    const { url } = await createTestSchema();
    proxy = await startProxy(new URL(TEST_POSTGRES_URL));
    const proxied = new URL(url);
    proxied.host = `127.0.0.1:${(proxy.server.address() as { port: number }).port}`;
    const app = await createServer({
      masterKey: randomBytes(32),
      database: { kind: "postgres", url: proxied.toString() },
    });
    apps.push(app);
    expect((await app.inject({ method: "GET", url: "/v1/health" })).statusCode).toBe(200);

    // The database goes away: connections cut, new ones refused. The read that answered vouches
    // for it for READINESS_FRESH_MS, then /health reads again.
    const port = (proxy.server.address() as { port: number }).port;
    await closeProxy(proxy);
    await sleep(READINESS_FRESH_MS);
    const down = await app.inject({ method: "GET", url: "/v1/health" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      status: "unavailable",
      time: expect.any(String),
      version,
      database: "unavailable",
      master_key: "ok",
    });

    proxy = await startProxy(new URL(TEST_POSTGRES_URL), port);
    const up = await app.inject({ method: "GET", url: "/v1/health" });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ status: "ok", database: "ok" });
  });
});

/** A TCP proxy to PostgreSQL that the test can cut. */
async function startProxy(target: URL, port = 0) {
  const sockets = new Set<Socket>();
  const server = createNetServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, sockets };
}

async function closeProxy(running: { server: Server; sockets: Set<Socket> }): Promise<void> {
  for (const socket of running.sockets) socket.destroy();
  await new Promise((resolve) => running.server.close(resolve));
}
