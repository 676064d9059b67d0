import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RateLimitPluginOptions, rateLimitPlugin } from "./rate-limit-plugin.js";

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/**
 * A tiny app: `Bearer good-…` authenticates (the "hash" is the credential itself, standing in for
 * the stored hash), anything else fails authentication with 401.
 */
async function tinyApp(options: RateLimitPluginOptions): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  await app.register(rateLimitPlugin, options);
  app.addHook("preHandler", async (request, reply) => {
    const credential = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (!credential.startsWith("good-")) {
      if (!(await app.rateLimits.consumeFailedAuth(request, reply)).allowed) return reply;
      return reply.code(401).send({ error: { code: "UNAUTHORIZED", message: "no" } });
    }
    const decision = await app.rateLimits.consumeForCredential(request, reply, credential);
    if (!decision.allowed) return reply;
  });
  app.get("/v1/things", async () => ({ ok: true }));
  app.post("/v1/things", async () => ({ ok: true }));
  await app.ready();
  return app;
}

function get(app: FastifyInstance, credential: string, remoteAddress = "127.0.0.1") {
  return app.inject({
    method: "GET",
    url: "/v1/things",
    headers: { authorization: `Bearer ${credential}` },
    remoteAddress,
  });
}

describe("rateLimitPlugin (memory store)", () => {
  it("lets requests under the limit through with RateLimit headers", async () => {
    const app = await tinyApp({ perCredential: { points: 3, durationSeconds: 60 } });
    const response = await get(app, "good-agent-1");
    expect(response.statusCode).toBe(200);
    expect(response.headers["ratelimit-limit"]).toBe("3");
    expect(response.headers["ratelimit-remaining"]).toBe("2");
    const reset = Number(response.headers["ratelimit-reset"]);
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);
    expect(response.headers["retry-after"]).toBeUndefined();
  });

  it("answers 429 with Retry-After and the RATE_LIMITED body once over the limit", async () => {
    const app = await tinyApp({ perCredential: { points: 2, durationSeconds: 60 } });
    expect((await get(app, "good-agent-1")).statusCode).toBe(200);
    expect((await get(app, "good-agent-1")).headers["ratelimit-remaining"]).toBe("0");
    const refused = await get(app, "good-agent-1");

    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers["ratelimit-remaining"]).toBe("0");
    expect(refused.json()).toEqual({
      error: { code: "RATE_LIMITED", message: expect.any(String), retry_after: retryAfter },
      detail: refused.json().error.message,
    });
    expect(refused.body).not.toContain("good-agent-1");
  });

  it("gives separate credentials separate budgets", async () => {
    const app = await tinyApp({ perCredential: { points: 1, durationSeconds: 60 } });
    expect((await get(app, "good-agent-1")).statusCode).toBe(200);
    expect((await get(app, "good-agent-1")).statusCode).toBe(429);
    expect((await get(app, "good-agent-2")).statusCode).toBe(200);
  });

  it("limits failed authentications per client address", async () => {
    const app = await tinyApp({ failedAuth: { points: 3, durationSeconds: 60 } });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await get(app, "wrong-guess", "10.0.0.1")).statusCode).toBe(401);
    }
    const refused = await get(app, "wrong-guess", "10.0.0.1");
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe("RATE_LIMITED");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);

    // A valid credential from the same address is never refused for the address's failures…
    expect((await get(app, "good-agent-1", "10.0.0.1")).statusCode).toBe(200);
    // …and another address is unaffected.
    expect((await get(app, "wrong-guess", "10.0.0.2")).statusCode).toBe(401);
    expect((await get(app, "good-agent-1", "10.0.0.2")).statusCode).toBe(200);
  });

  it("sets the failed-auth budget's headers on the 401", async () => {
    const app = await tinyApp({ failedAuth: { points: 5, durationSeconds: 60 } });
    const response = await get(app, "wrong-guess");
    expect(response.statusCode).toBe(401);
    expect(response.headers["ratelimit-limit"]).toBe("5");
    expect(response.headers["ratelimit-remaining"]).toBe("4");
  });

  it("blocks an address for blockSeconds once its failed-auth budget is spent", async () => {
    const app = await tinyApp({
      failedAuth: { points: 1, durationSeconds: 60, blockSeconds: 900 },
    });
    expect((await get(app, "wrong-guess")).statusCode).toBe(401);
    const refused = await get(app, "wrong-guess");
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(60);
    expect(refused.json().error.retry_after).toBeLessThanOrEqual(900);
  });

  it("counts failed authentications against the address keyFor returns", async () => {
    const app = await tinyApp({
      failedAuth: { points: 1, durationSeconds: 60 },
      keyFor: (request) => String(request.headers["x-test-client"] ?? "none"),
    });
    const from = (client: string) =>
      app.inject({
        method: "GET",
        url: "/v1/things",
        headers: { authorization: "Bearer wrong", "x-test-client": client },
      });
    expect((await from("alpha")).statusCode).toBe(401);
    expect((await from("alpha")).statusCode).toBe(429);
    expect((await from("beta")).statusCode).toBe(401);
  });

  it("counts writes against the smaller write budget, and reads go on when it is spent", async () => {
    const app = await tinyApp({
      perCredential: { points: 10, durationSeconds: 60 },
      writes: { points: 2, durationSeconds: 60 },
    });
    const post = () =>
      app.inject({
        method: "POST",
        url: "/v1/things",
        headers: { authorization: "Bearer good-writer" },
      });
    expect((await post()).statusCode).toBe(200);
    const second = await post();
    expect(second.statusCode).toBe(200);
    expect(second.headers["ratelimit-limit"]).toBe("2");
    const refused = await post();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toMatch(/writes or token mints/);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    const read = await get(app, "good-writer");
    expect(read.statusCode).toBe(200);
    expect(read.headers["ratelimit-limit"]).toBe("10");
  });

  it("refuses a configuration with a non-positive budget when registered", async () => {
    const app = Fastify();
    apps.push(app);
    await expect(
      app.register(rateLimitPlugin, { perCredential: { points: 0 } }).ready(),
    ).rejects.toThrow(/perCredential.points/);
  });
});

describe("rateLimitPlugin (Redis store)", () => {
  // One prefix per run, and one below it per test, so runs and tests never share counts.
  const runPrefix = `ass-test:rl:${randomUUID()}`;
  const clients: Redis[] = [];
  let testNumber = 0;

  function redisClient(options: { lazyConnect?: boolean } = {}): Redis {
    const redis = new Redis({
      host: "127.0.0.1",
      port: 6379,
      maxRetriesPerRequest: 1,
      lazyConnect: options.lazyConnect ?? false,
    });
    clients.push(redis);
    return redis;
  }

  /** Two "server instances": two apps, each with its own Redis connection, sharing a prefix. */
  async function twoInstances(options: Omit<RateLimitPluginOptions, "store" | "keyPrefix">) {
    testNumber += 1;
    const keyPrefix = `${runPrefix}:${testNumber}`;
    const [first, second] = [redisClient(), redisClient()];
    // The limiter refuses to queue commands before the connection is ready; wait for it (and
    // fail here, loudly, if Redis is down).
    await Promise.all([first.ping(), second.ping()]);
    const appA = await tinyApp({ ...options, keyPrefix, store: { redis: first } });
    const appB = await tinyApp({ ...options, keyPrefix, store: { redis: second } });
    return { appA, appB, keyPrefix, redis: first };
  }

  beforeAll(async () => {
    expect(await redisClient().ping()).toBe("PONG");
  });

  afterAll(async () => {
    const [cleaner] = clients;
    if (cleaner !== undefined && cleaner.status === "ready") {
      const keys = await cleaner.keys(`${runPrefix}*`);
      if (keys.length > 0) await cleaner.del(...keys);
    }
    for (const client of clients) client.disconnect();
  });

  it("counts one credential's requests together across two instances", async () => {
    const { appA, appB } = await twoInstances({
      perCredential: { points: 4, durationSeconds: 60 },
    });
    expect((await get(appA, "good-agent-1")).headers["ratelimit-remaining"]).toBe("3");
    expect((await get(appB, "good-agent-1")).headers["ratelimit-remaining"]).toBe("2");
    expect((await get(appA, "good-agent-1")).statusCode).toBe(200);
    expect((await get(appB, "good-agent-1")).statusCode).toBe(200);
    const refused = await get(appA, "good-agent-1");
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe("RATE_LIMITED");
    expect((await get(appB, "good-agent-1")).statusCode).toBe(429);
    expect((await get(appB, "good-agent-2")).statusCode).toBe(200);
  });

  it("counts failed authentications from one address together across two instances", async () => {
    const { appA, appB } = await twoInstances({ failedAuth: { points: 2, durationSeconds: 60 } });
    expect((await get(appA, "wrong-guess", "10.0.0.7")).statusCode).toBe(401);
    expect((await get(appB, "wrong-guess", "10.0.0.7")).statusCode).toBe(401);
    expect((await get(appA, "wrong-guess", "10.0.0.7")).statusCode).toBe(429);
    expect((await get(appB, "other-guess", "10.0.0.7")).statusCode).toBe(429);
    expect((await get(appB, "good-agent-1", "10.0.0.7")).statusCode).toBe(200);
  });

  it("stores hashed keys only, never the credential or the address", async () => {
    const { appA, keyPrefix, redis } = await twoInstances({});
    const credential = "good-canary-credential-4d2e";
    await get(appA, credential);
    await get(appA, "wrong-guess", "10.9.8.7");
    const keys = await redis.keys(`${keyPrefix}*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).not.toContain(credential);
      expect(key).not.toContain("10.9.8.7");
    }
  });

  it("keeps limiting in memory while Redis is unreachable", async () => {
    testNumber += 1;
    const offline = redisClient({ lazyConnect: true });
    const app = await tinyApp({
      keyPrefix: `${runPrefix}:${testNumber}`,
      store: { redis: offline },
      perCredential: { points: 1, durationSeconds: 60 },
    });
    expect((await get(app, "good-agent-1")).statusCode).toBe(200);
    expect((await get(app, "good-agent-1")).statusCode).toBe(429);
    expect(offline.status).toBe("wait");
  });
});
