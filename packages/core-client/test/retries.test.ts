import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AgentVaultAbortError,
  AgentVaultServerError,
  AgentVaultTimeoutError,
} from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  capturingLogger,
  ORIGIN,
  rejectionOf,
  testVault,
  untilAttempts,
  VALUE,
  wireSecret,
} from "./support/vault-fixtures.js";

useNock();

afterEach(() => {
  vi.useRealTimers();
});

/** Fake timers for the client's waits; nock still answers over real (intercepted) I/O. */
function fakeClock() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(new Date("2026-01-15T10:30:00.000Z"));
}

describe("onWait", () => {
  it("hears of every wait: Retry-After ones and backoff ones, and a throwing listener changes nothing", async () => {
    fakeClock();
    nock(ORIGIN)
      .get("/v1/secrets/a/b")
      .reply(
        429,
        { error: { code: "RATE_LIMITED", message: "slow down", retry_after: 3 } },
        { "retry-after": "3" },
      );
    nock(ORIGIN).get("/v1/secrets/a/b").reply(502, {});
    nock(ORIGIN).get("/v1/secrets/a/b").reply(200, wireSecret("a/b"));
    const waits: unknown[] = [];
    const logger = capturingLogger();
    const reading = testVault({
      retries: 3,
      logger,
      onWait: (wait) => {
        waits.push(wait);
        throw new Error("listener failure");
      },
    }).getSecret("a/b");
    await untilAttempts(logger, 1);
    expect(waits).toEqual([
      {
        delayMs: 3000,
        retryAfter: true,
        code: "RATE_LIMITED",
        status: 429,
        attempt: 1,
        method: "GET",
        path: "/v1/secrets/a/b",
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      "vault asked to wait (Retry-After)",
      expect.objectContaining({ delayMs: 3000, status: 429 }),
    );
    await vi.advanceTimersByTimeAsync(3_000);
    await untilAttempts(logger, 2);
    expect(waits[1]).toMatchObject({ retryAfter: false, status: 502, attempt: 2 });
    await vi.advanceTimersByTimeAsync(8_000);
    expect((await reading).value).toBe(VALUE);
    expect(logger.lines()).not.toContain(VALUE);
  });
});

describe("retries over HTTP", () => {
  it("retries a 503 after the Retry-After delay in seconds", async () => {
    fakeClock();
    nock(ORIGIN).get("/v1/secrets/a/b").reply(503, {}, { "retry-after": "2" });
    nock(ORIGIN).get("/v1/secrets/a/b").reply(200, wireSecret("a/b"));
    const logger = capturingLogger();
    let settled = false;
    const reading = testVault({ retries: 3, logger })
      .getSecret("a/b")
      .finally(() => {
        settled = true;
      });
    await untilAttempts(logger, 1);
    await vi.advanceTimersByTimeAsync(1_900);
    expect(settled).toBe(false);
    expect(nock.pendingMocks()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect((await reading).value).toBe(VALUE);
  });

  it("retries a 429 after a Retry-After HTTP-date", async () => {
    fakeClock();
    nock(ORIGIN)
      .get("/v1/secrets/a/b")
      .reply(429, {}, { "retry-after": "Thu, 15 Jan 2026 10:30:05 GMT" });
    nock(ORIGIN).get("/v1/secrets/a/b").reply(200, wireSecret("a/b"));
    const logger = capturingLogger();
    const reading = testVault({ retries: 3, logger }).getSecret("a/b");
    await untilAttempts(logger, 1);
    await vi.advanceTimersByTimeAsync(4_900);
    expect(nock.pendingMocks()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect((await reading).path).toBe("a/b");
  });

  it("gives up after the configured number of retries", async () => {
    fakeClock();
    nock(ORIGIN).get("/v1/secrets/a/b").times(3).reply(500, {});
    const logger = capturingLogger();
    const reading = rejectionOf(testVault({ retries: 2, logger }).getSecret("a/b"));
    for (const attempt of [1, 2]) {
      await untilAttempts(logger, attempt);
      await vi.advanceTimersByTimeAsync(8_000); // the longest backoff step
    }
    expect(await reading).toBeInstanceOf(AgentVaultServerError);
    expect(logger.debug).toHaveBeenCalledTimes(3);
  });

  it("reuses one Idempotency-Key across the retries of a write, so one version is made", async () => {
    fakeClock();
    const keys: string[] = [];
    const record = function (this: { req: { headers: Record<string, string> } }) {
      keys.push(this.req.headers["idempotency-key"] ?? "");
    };
    nock(ORIGIN)
      .put("/v1/secrets/a/b")
      .reply(function () {
        record.call(this as never);
        return [503, {}, { "retry-after": "1" }];
      });
    nock(ORIGIN)
      .put("/v1/secrets/a/b")
      .reply(function () {
        record.call(this as never);
        return [201, { path: "a/b", version: 1 }];
      });
    const logger = capturingLogger();
    const writing = testVault({ retries: 3, logger }).setSecret("a/b", VALUE);
    await untilAttempts(logger, 1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await writing).version).toBe(1);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it("uses a fresh Idempotency-Key for each call", async () => {
    const keys: string[] = [];
    nock(ORIGIN)
      .put("/v1/secrets/a/b")
      .times(2)
      .reply(function () {
        keys.push(String(this.req.headers["idempotency-key"]));
        return [200, { path: "a/b", version: 1 }];
      });
    const vault = testVault();
    await vault.setSecret("a/b", VALUE);
    await vault.setSecret("a/b", VALUE);
    expect(keys[0]).not.toBe(keys[1]);
  });
});

describe("timeouts and aborts over HTTP", () => {
  it("times out an attempt after the timeout option", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").delay(2_000).reply(200, wireSecret("a/b"));
    const error = await rejectionOf(testVault({ timeout: 30 }).getSecret("a/b"));
    expect(error).toBeInstanceOf(AgentVaultTimeoutError);
    expect((error as AgentVaultTimeoutError).code).toBe("TIMEOUT");
  });

  it("rejects on the caller's abort and does not retry", async () => {
    const scope = nock(ORIGIN).put("/v1/secrets/a/b").delay(2_000).reply(201, {});
    const retry = nock(ORIGIN).put("/v1/secrets/a/b").reply(201, { path: "a/b", version: 1 });
    const controller = new AbortController();
    const writing = testVault({ retries: 3, timeout: 5_000 }).setSecret("a/b", VALUE, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const error = await rejectionOf(writing);
    expect(error).toBeInstanceOf(AgentVaultAbortError);
    expect(scope.isDone()).toBe(true);
    expect(retry.isDone()).toBe(false);
    nock.cleanAll(); // the retry mock staying unused is the point of this test
  });
});
