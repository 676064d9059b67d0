import { describe, expect, it, vi } from "vitest";
import {
  AgentVaultAbortError,
  AgentVaultAuthError,
  AgentVaultNetworkError,
  AgentVaultServerError,
} from "../errors.js";
import type { Logger } from "../logger.js";
import { Secret } from "../models/secret.js";
import { SecretCache, type SecretCacheOptions } from "./secret-cache.js";

function secret(value: string, version = 1, expiresAt: Date | null = null): Secret {
  return new Secret({
    path: "prod/api-key",
    namespace: "prod",
    key: "api-key",
    value,
    version,
    tier: "standard",
    secretType: "api_key",
    description: null,
    tags: {},
    createdAt: null,
    updatedAt: null,
    accessedAt: null,
    expiresAt,
    allowedDestinations: null,
    approval: null,
  });
}

function setup(options: Partial<SecretCacheOptions> = {}) {
  let now = 1_000_000;
  const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const cache = new SecretCache(
    { ttl: 1000, jitter: 0, ...options },
    { logger, now: () => now, random: () => 0.5 },
  );
  return {
    cache,
    logger,
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
    now: () => now,
  };
}

const key = { path: "prod/api-key", version: undefined, credentialId: 1 };

describe("SecretCache", () => {
  it("serves a fresh entry without loading again", async () => {
    const { cache, advance } = setup();
    const load = vi.fn(async () => secret("canary-value-1"));
    await cache.read(key, load);
    advance(999);
    const again = await cache.read(key, load);
    expect(again.value).toBe("canary-value-1");
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("loads again once the ttl has passed", async () => {
    const { cache, advance } = setup();
    await cache.read(key, async () => secret("canary-value-1"));
    advance(1000);
    const refreshed = await cache.read(key, async () => secret("canary-value-2", 2));
    expect(refreshed.value).toBe("canary-value-2");
  });

  it("shortens each entry's life by up to the jitter fraction", async () => {
    const { cache, advance } = setup({ jitter: 0.4 }); // random 0.5 → 1000 * (1 - 0.2) = 800 ms
    const load = vi.fn(async () => secret("canary-value-1"));
    await cache.read(key, load);
    advance(799);
    await cache.read(key, load);
    expect(load).toHaveBeenCalledTimes(1);
    advance(1);
    await cache.read(key, load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it.each([
    ["a network error", new AgentVaultNetworkError("down", { code: "NETWORK_ERROR" })],
    [
      "a 5xx",
      new AgentVaultServerError("boom", { code: "INTERNAL", status: 503, requestId: "r9" }),
    ],
  ])("serves the last good value with a warning when a refresh fails with %s", async (_, error) => {
    const { cache, advance, logger } = setup();
    await cache.read(key, async () => secret("canary-value-1"));
    advance(5000);
    const stale = await cache.read(key, async () => {
      throw error;
    });
    expect(stale.value).toBe("canary-value-1");
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(vi.mocked(logger.warn).mock.calls)).not.toContain("canary-value-1");
  });

  it("does not serve a stale value over an auth failure", async () => {
    const { cache, advance } = setup();
    await cache.read(key, async () => secret("canary-value-1"));
    advance(5000);
    const revoked = new AgentVaultAuthError("revoked", { code: "UNAUTHORIZED", status: 401 });
    await expect(
      cache.read(key, async () => {
        throw revoked;
      }),
    ).rejects.toBe(revoked);
    expect(cache.size).toBe(0);
  });

  it("does not serve a stale value over a caller's abort", async () => {
    const { cache, advance } = setup();
    await cache.read(key, async () => secret("canary-value-1"));
    advance(5000);
    await expect(
      cache.read(key, async () => {
        throw new AgentVaultAbortError("aborted", { code: "ABORTED" });
      }),
    ).rejects.toThrow(AgentVaultAbortError);
  });

  it("never serves a secret past its own expiry", async () => {
    const { cache, advance, now } = setup({ ttl: 60_000 });
    await cache.read(key, async () => secret("canary-value-1", 1, new Date(now() + 500)));
    advance(500);
    const load = vi.fn(async () => {
      throw new AgentVaultNetworkError("down", { code: "NETWORK_ERROR" });
    });
    await expect(cache.read(key, load)).rejects.toThrow(AgentVaultNetworkError);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("keeps entries apart by credential and version", async () => {
    const { cache } = setup();
    await cache.read(key, async () => secret("canary-value-current", 2));
    const other = await cache.read({ ...key, credentialId: 2 }, async () => secret("canary-other"));
    const pinned = await cache.read({ ...key, version: 1 }, async () => secret("canary-v1"));
    expect(other.value).toBe("canary-other");
    expect(pinned.value).toBe("canary-v1");
    expect(cache.size).toBe(3);
  });

  it("drops every entry of a path on invalidation", async () => {
    const { cache } = setup();
    await cache.read(key, async () => secret("canary-value-1"));
    await cache.read({ ...key, credentialId: 2 }, async () => secret("canary-value-1"));
    cache.invalidatePath("prod/api-key");
    expect(cache.size).toBe(0);
  });

  it("does not store a read that started before an invalidation", async () => {
    const { cache } = setup();
    let finish!: (value: Secret) => void;
    const pending = cache.read(key, () => new Promise<Secret>((resolve) => (finish = resolve)));
    cache.invalidatePath("prod/api-key");
    finish(secret("canary-old-value"));
    await pending;
    expect(cache.size).toBe(0);
  });

  it("drops every entry below a namespace, at any depth, and nothing beside it", async () => {
    const { cache } = setup();
    const paths = ["prod/api-key", "prod/db/password", "prod-evil/key", "staging/key"];
    for (const path of paths) await cache.read({ ...key, path }, async () => secret(path));
    cache.invalidateNamespace("prod");
    expect(cache.size).toBe(2);
    const load = vi.fn(async () => secret("canary-reloaded"));
    await cache.read({ ...key, path: "prod-evil/key" }, load);
    await cache.read({ ...key, path: "staging/key" }, load);
    expect(load).not.toHaveBeenCalled();
    cache.invalidateNamespace("");
    expect(cache.size).toBe(0);
  });

  it("does not store a read that started before its namespace was invalidated", async () => {
    const { cache } = setup();
    let finish!: (value: Secret) => void;
    const deep = { ...key, path: "prod/db/password" };
    const pending = cache.read(deep, () => new Promise<Secret>((resolve) => (finish = resolve)));
    cache.invalidateNamespace("prod");
    finish(secret("canary-old-value"));
    await pending;
    expect(cache.size).toBe(0);
  });

  it("evicts the oldest entry beyond maxEntries", async () => {
    const { cache } = setup({ maxEntries: 2 });
    for (const credentialId of [1, 2, 3]) {
      await cache.read({ ...key, credentialId }, async () => secret(`canary-${credentialId}`));
    }
    expect(cache.size).toBe(2);
    const load = vi.fn(async () => secret("canary-reloaded"));
    await cache.read(key, load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("forgets everything on clear", async () => {
    const { cache } = setup();
    await cache.read(key, async () => secret("canary-value-1"));
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
