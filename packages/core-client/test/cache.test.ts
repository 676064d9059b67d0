import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSecretCache } from "../src/cache/index.js";
import { AgentVaultAuthError } from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  CHILD_TOKEN,
  capturingLogger,
  ORIGIN,
  rejectionOf,
  testVault,
  VALUE,
  wireSecret,
} from "./support/vault-fixtures.js";

useNock();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-01-15T10:30:00.000Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

const cacheOptions = { ttl: 60_000, jitter: 0 };
/** A fresh cache for each client: a cache belongs to one client. */
const freshCache = () => createSecretCache(cacheOptions);

describe("getSecret with the cache option", () => {
  it("serves a second read from memory", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").once().reply(200, wireSecret("a/b"));
    const vault = testVault({ cache: freshCache() });
    await vault.getSecret("a/b");
    expect((await vault.getSecret("a/b")).value).toBe(VALUE);
  });

  it("reads again after the ttl", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").reply(200, wireSecret("a/b"));
    nock(ORIGIN)
      .get("/v1/secrets/a/b")
      .reply(200, wireSecret("a/b", { value: "canary-value-v2", version: 2 }));
    const vault = testVault({ cache: freshCache() });
    await vault.getSecret("a/b");
    vi.advanceTimersByTime(60_000);
    expect((await vault.getSecret("a/b")).value).toBe("canary-value-v2");
  });

  it("does not cache without the option", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").times(2).reply(200, wireSecret("a/b"));
    const vault = testVault();
    await vault.getSecret("a/b");
    await vault.getSecret("a/b");
  });

  it("serves the last good value with a warning when the refresh meets a 5xx", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").reply(200, wireSecret("a/b"));
    nock(ORIGIN).get("/v1/secrets/a/b").reply(503, {}, { "x-request-id": "req-down" });
    const logger = capturingLogger();
    const vault = testVault({ cache: freshCache(), logger });
    await vault.getSecret("a/b");
    vi.advanceTimersByTime(61_000);
    expect((await vault.getSecret("a/b")).value).toBe(VALUE);
    expect(logger.warn).toHaveBeenCalledWith(
      "vault refresh failed; serving the cached secret",
      expect.objectContaining({ path: "a/b", requestId: "req-down" }),
    );
    expect(logger.lines()).not.toContain(VALUE);
  });

  it("does not hide a revoked credential behind the cache", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").reply(200, wireSecret("a/b"));
    nock(ORIGIN)
      .get("/v1/secrets/a/b")
      .reply(401, { error: { code: "UNAUTHORIZED" } });
    const vault = testVault({ cache: freshCache() });
    await vault.getSecret("a/b");
    vi.advanceTimersByTime(61_000);
    expect(await rejectionOf(vault.getSecret("a/b"))).toBeInstanceOf(AgentVaultAuthError);
  });

  it.each([
    [
      "setSecret",
      (vault: ReturnType<typeof testVault>) => vault.setSecret("a/b", "canary-value-v2"),
    ],
    [
      "rotateSecret",
      (vault: ReturnType<typeof testVault>) => vault.rotateSecret("a/b", "canary-value-v2"),
    ],
    ["deleteSecret", (vault: ReturnType<typeof testVault>) => vault.deleteSecret("a/b")],
  ])("drops the path after %s through this client", async (_, write) => {
    nock(ORIGIN).get("/v1/secrets/a/b").times(2).reply(200, wireSecret("a/b"));
    nock(ORIGIN).put("/v1/secrets/a/b").optionally().reply(200, { path: "a/b", version: 2 });
    nock(ORIGIN)
      .post("/v1/secrets/a/b/rotate")
      .optionally()
      .reply(200, { path: "a/b", new_version: 2, old_version: 1 });
    nock(ORIGIN).delete("/v1/secrets/a/b").optionally().reply(204);
    const vault = testVault({ cache: freshCache() });
    await vault.getSecret("a/b");
    await write(vault);
    await vault.getSecret("a/b"); // a second GET: the entry was dropped
  });

  it("keeps different credentials apart", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").times(2).reply(200, wireSecret("a/b"));
    const vault = testVault({ cache: freshCache() });
    await vault.getSecret("a/b");
    await vault.getSecret("a/b", { token: CHILD_TOKEN });
  });

  it("drops cached values on close", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").reply(200, wireSecret("a/b"));
    const vault = testVault({ cache: freshCache() });
    await vault.getSecret("a/b");
    await vault.close();
    const error = await rejectionOf(vault.getSecret("a/b"));
    expect(error.message).toContain("closed");
  });
});

describe("single-flight over HTTP", () => {
  it("sends one request for two concurrent getSecret calls", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").once().reply(200, wireSecret("a/b"));
    const vault = testVault();
    const [first, second] = await Promise.all([vault.getSecret("a/b"), vault.getSecret("a/b")]);
    expect(first.value).toBe(VALUE);
    expect(second.value).toBe(VALUE);
    expect(first).not.toBe(second); // each caller gets its own object
  });

  it("sends one request for concurrent cached reads on a miss", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").once().reply(200, wireSecret("a/b"));
    const vault = testVault({ cache: freshCache() });
    await Promise.all([vault.getSecret("a/b"), vault.getSecret("a/b"), vault.getSecret("a/b")]);
  });
});
