import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { rateLimitedBody, rateLimitHeaders } from "./rate-limit-response.js";
import { createRateLimiters } from "./rate-limiters.js";

describe("createRateLimiters", () => {
  it("defaults to 1,200 requests and 120 writes a minute per caller and 10 failed authentications a minute", () => {
    expect(createRateLimiters().rules).toEqual({
      perCredential: { points: 1200, durationSeconds: 60, blockSeconds: 0 },
      writes: { points: 120, durationSeconds: 60, blockSeconds: 0 },
      failedAuth: { points: 10, durationSeconds: 60, blockSeconds: 0 },
    });
  });

  it("counts down a credential's budget and then refuses with a retry delay", async () => {
    const limiters = createRateLimiters({ perCredential: { points: 2, durationSeconds: 30 } });
    const first = await limiters.consumeForCredential("hash-a");
    expect(first).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
    expect(first.resetSeconds).toBeLessThanOrEqual(30);
    await limiters.consumeForCredential("hash-a");
    const refused = await limiters.consumeForCredential("hash-a");
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(30);
  });

  it("counts failed authentications per address and refuses once the budget is spent", async () => {
    const limiters = createRateLimiters({ failedAuth: { points: 2, durationSeconds: 60 } });
    expect(await limiters.consumeFailedAuth("10.0.0.1")).toMatchObject({
      allowed: true,
      remaining: 1,
    });
    expect(await limiters.consumeFailedAuth("10.0.0.1")).toMatchObject({
      allowed: true,
      remaining: 0,
    });
    expect(await limiters.consumeFailedAuth("10.0.0.1")).toMatchObject({ allowed: false });
    expect(await limiters.consumeFailedAuth("10.0.0.2")).toMatchObject({ allowed: true });
  });

  it("keeps a caller's write budget apart from its request budget", async () => {
    const limiters = createRateLimiters({
      perCredential: { points: 5, durationSeconds: 60 },
      writes: { points: 1, durationSeconds: 60 },
    });
    expect((await limiters.consumeWrite("agent:a")).allowed).toBe(true);
    expect((await limiters.consumeWrite("agent:a")).allowed).toBe(false);
    expect(await limiters.consumeForCredential("agent:a")).toMatchObject({
      allowed: true,
      remaining: 4,
    });
    expect((await limiters.consumeWrite("agent:b")).allowed).toBe(true);
  });

  it("keeps credential and failed-auth budgets apart even for the same key", async () => {
    const limiters = createRateLimiters({
      perCredential: { points: 1, durationSeconds: 60 },
      failedAuth: { points: 1, durationSeconds: 60 },
    });
    expect((await limiters.consumeForCredential("same")).allowed).toBe(true);
    expect((await limiters.consumeFailedAuth("same")).allowed).toBe(true);
  });

  it.each([
    [{ perCredential: { points: 0 } }, /perCredential.points/],
    [{ perCredential: { durationSeconds: 1.5 } }, /perCredential.durationSeconds/],
    [{ failedAuth: { blockSeconds: -1 } }, /failedAuth.blockSeconds/],
    [{ writes: { points: -3 } }, /writes.points/],
  ])("refuses the rule %j", (config, message) => {
    expect(() => createRateLimiters(config)).toThrow(message);
  });

  it("refuses a store that is neither memory nor a Redis client", () => {
    const store = { redis: undefined as unknown as Redis };
    expect(() => createRateLimiters({ store })).toThrow(TypeError);
  });
});

describe("rate limit responses", () => {
  const refused = {
    allowed: false,
    limit: 5,
    remaining: 0,
    resetSeconds: 42,
    retryAfterSeconds: 42,
  };

  it("adds Retry-After only to refusals", () => {
    expect(rateLimitHeaders({ ...refused, allowed: true, remaining: 3 })).toEqual({
      "ratelimit-limit": "5",
      "ratelimit-remaining": "3",
      "ratelimit-reset": "42",
    });
    expect(rateLimitHeaders(refused)["retry-after"]).toBe("42");
  });

  it("writes docs/protocol.md's RATE_LIMITED body", () => {
    const body = rateLimitedBody(refused, "credential");
    expect(body).toEqual({
      error: { code: "RATE_LIMITED", message: expect.stringContaining("42"), retry_after: 42 },
      detail: body.error.message,
    });
  });
});
