import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createServer } from "../src/create-server.js";
import { type RunningServer, startServer } from "../src/start-server.js";
import type { VaultServer } from "../src/vault-server.js";
import { freshDatabaseConfig, startServerDatabase } from "./helpers/test-database.js";
import {
  bearer,
  createTestServer,
  getWith,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

const BAD_KEY = "ass_live_0000000000000000000000000000000000000000";

describe("rate limits per credential", () => {
  it("answers 429 RATE_LIMITED with Retry-After and RateLimit headers once over budget", async () => {
    server = await createTestServer({
      rateLimits: { perCredential: { points: 2, durationSeconds: 60 } },
    });
    const first = await getWith(server, server.agentKey, "/v1/secrets?namespace=");
    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({ "ratelimit-limit": "2", "ratelimit-remaining": "1" });
    expect((await getWith(server, server.agentKey, "/v1/secrets?namespace=")).statusCode).toBe(200);

    const refused = await getWith(server, server.agentKey, "/v1/secrets?namespace=");
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers["ratelimit-remaining"]).toBe("0");
    expect(refused.headers["x-request-id"]).toEqual(expect.any(String));
    expect(refused.json()).toEqual({
      error: { code: "RATE_LIMITED", message: expect.any(String), retry_after: retryAfter },
      detail: refused.json().error.message,
    });
    expect(refused.body).not.toContain(server.agentKey);

    // Another credential has its own budget.
    expect((await getWith(server, server.adminKey, "/v1/audit")).statusCode).toBe(200);
  });

  it("uses the defaults when nothing is configured", async () => {
    const app = await createServer({
      masterKey: randomBytes(32),
      database: await freshDatabaseConfig(),
    });
    try {
      const response = await app.inject({
        method: "GET",
        url: "/v1/agents",
        headers: { authorization: `Bearer ${app.firstStart?.adminKey}` },
      });
      expect(response.headers["ratelimit-limit"]).toBe("1200");
    } finally {
      await app.close();
    }
  });

  it("refuses rules that are not whole positive numbers", async () => {
    await expect(
      createTestServer({ rateLimits: { perCredential: { points: 0 } } }),
    ).rejects.toThrow(RangeError);
  });
});

describe("rate limits on failed authentication", () => {
  it("turns an address's failures past its budget into one same 429, and still serves its valid credentials", async () => {
    server = await createTestServer({
      rateLimits: { failedAuth: { points: 3, durationSeconds: 60 } },
    });
    const current = server;
    const from = (credential: string | undefined, remoteAddress: string) =>
      current.app.inject({
        method: "GET",
        url: "/v1/me",
        headers: credential === undefined ? {} : bearer(credential),
        remoteAddress,
      });
    const revoked = await requestToken(current, current.agentKey, { scope: "secrets:read:a/*" });
    await current.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${revoked.body.token_id}`,
      headers: bearer(current.adminKey),
    });
    const expiring = await requestToken(current, current.agentKey, {
      scope: "secrets:read:a/*",
      ttl_seconds: 1,
    });
    current.clock.advance(5);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await from(BAD_KEY, "10.0.0.7")).statusCode).toBe(401);
    }
    // Every kind of bad credential now gets the same answer: nothing tells them apart.
    const bad = {
      unknown: BAD_KEY,
      "unknown admin": BAD_KEY.replace("ass_live_", "ass_admin_"),
      malformed: "not-a-credential",
      missing: undefined,
      revoked: revoked.body.token,
      expired: expiring.body.token,
    };
    const answers = new Set<string>();
    for (const [kind, credential] of Object.entries(bad)) {
      const refused = await from(credential, "10.0.0.7");
      expect(refused.statusCode, kind).toBe(429);
      expect(refused.headers["retry-after"], kind).toEqual(expect.any(String));
      const body = refused.json();
      expect(body.error.code, kind).toBe("RATE_LIMITED");
      answers.add(
        JSON.stringify({
          ...body.error,
          retry_after: 0,
          message: body.error.message.replace(/\d+/g, "N"),
        }),
      );
    }
    expect(answers.size).toBe(1);
    // Valid credentials from that address are served as usual, every time.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await from(current.agentKey, "10.0.0.7")).statusCode).toBe(200);
      expect((await from(current.adminKey, "10.0.0.7")).statusCode).toBe(200);
      expect((await from(BAD_KEY, "10.0.0.7")).statusCode).toBe(429);
    }
    // Other addresses are unaffected.
    expect((await from(BAD_KEY, "10.0.0.8")).statusCode).toBe(401);

    // The refused attempts wrote nothing: only the counted failures are in the audit log.
    const audit = await getWith(current, current.adminKey, "/v1/audit?event=auth.failed", {
      remoteAddress: "10.0.0.9",
    });
    expect(
      audit.json().items.filter((event: { ip: string }) => event.ip === "10.0.0.7"),
    ).toHaveLength(3);
  });

  it("never limits /v1/health or /v1/openapi.json", async () => {
    server = await createTestServer({
      rateLimits: {
        failedAuth: { points: 1, durationSeconds: 60 },
        perCredential: { points: 1, durationSeconds: 60 },
      },
    });
    await getWith(server, BAD_KEY, "/v1/tokens/self", { remoteAddress: "10.0.0.7" });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      for (const url of ["/v1/health", "/v1/openapi.json"]) {
        const response = await server.app.inject({ method: "GET", url, remoteAddress: "10.0.0.7" });
        expect(response.statusCode).toBe(200);
        expect(response.headers["ratelimit-limit"]).toBeUndefined();
      }
    }
  });
});

describe("rate limits shared through Redis", () => {
  const redis = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: true });
  const apps: VaultServer[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  afterAll(() => {
    redis.disconnect();
  });

  it("counts one credential's requests across two instances", async () => {
    // Fails loudly if Redis is down: docs/development.md says it runs on these machines.
    expect(await redis.ping()).toBe("PONG");
    const masterKey = randomBytes(32);
    const keyPrefix = `ass-test-${randomUUID()}`;
    const rateLimits = {
      store: { redisUrl: "redis://127.0.0.1:6379" },
      keyPrefix,
      perCredential: { points: 3, durationSeconds: 60 },
    };
    // One database (a file, or a PostgreSQL schema) under both instances.
    const database = await freshDatabaseConfig({ shared: true });
    try {
      const first = await createServer({ masterKey, database, rateLimits });
      apps.push(first);
      const second = await createServer({ masterKey, database, rateLimits });
      apps.push(second);
      const headers = { authorization: `Bearer ${first.firstStart?.agentKey}` };
      const statuses: number[] = [];
      for (const app of [first, second, first, second]) {
        statuses.push(
          (await app.inject({ method: "GET", url: "/v1/secrets", headers })).statusCode,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await redis.keys(`${keyPrefix}*`)).length).toBeGreaterThan(0);
    } finally {
      for (const app of apps.splice(0)) await app.close();
    }
  });

  it("takes the store from REDIS_URL in startServer", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ass-redis-"));
    const keyPrefix = `ass-test-${randomUUID()}`;
    const { env, ...database } = await startServerDatabase();
    let running: RunningServer | undefined;
    try {
      running = await startServer({
        port: 0,
        dataDir,
        logger: false,
        ...database,
        env: { ...env, REDIS_URL: "redis://127.0.0.1:6379" },
        rateLimits: { keyPrefix },
      });
      const response = await fetch(`${running.baseUrl}/secrets`, {
        headers: { authorization: `Bearer ${running.firstStart?.agentKey}` },
      });
      expect(response.status).toBe(200);
      expect((await redis.keys(`${keyPrefix}*`)).length).toBeGreaterThan(0);
    } finally {
      await running?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses a store URL that is not redis://", async () => {
    await expect(
      createTestServer({ rateLimits: { store: { redisUrl: "http://127.0.0.1:6379" } } }),
    ).rejects.toThrow(/redis:\/\//);
  });
});
