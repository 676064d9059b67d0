import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCredentialProvider, type SecretReader } from "./credential-provider.js";
import {
  AgentVaultAbortError,
  AgentVaultAuthError,
  AgentVaultNetworkError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultRateLimitError,
  AgentVaultServerError,
  AgentVaultTimeoutError,
  AgentVaultValidationError,
} from "./errors.js";

const PATH = "production/openai/api-key";
const VALUE_1 = "canary-value-1f3a-first";
const VALUE_2 = "canary-value-2b7c-second";

type Read = { value: string; version: number; expiresAt: Date | null };
type ReadOptions = Parameters<SecretReader["getSecret"]>[1];

const errorFor = {
  401: () => new AgentVaultAuthError("token revoked", { code: "UNAUTHORIZED", status: 401 }),
  403: () => new AgentVaultPermissionError("scope denied", { code: "SCOPE_DENIED", status: 403 }),
  404: () => new AgentVaultNotFoundError("no secret", { code: "SECRET_NOT_FOUND", status: 404 }),
};
const networkError = () => new AgentVaultNetworkError("connection refused", { code: "NETWORK" });

/** A vault whose answers the test scripts one by one; each read waits for the test to settle it. */
function scriptedVault() {
  const calls: { path: string; options: ReadOptions }[] = [];
  const pending: { resolve: (read: Read) => void; reject: (error: unknown) => void }[] = [];
  const vault: SecretReader = {
    getSecret(path, options) {
      calls.push({ path, options });
      return new Promise<Read>((resolve, reject) => pending.push({ resolve, reject }));
    },
  };
  const answer = (read: Read) => pending.shift()!.resolve(read);
  const fail = (error: unknown) => pending.shift()!.reject(error);
  return { vault, calls, answer, fail };
}

/** A vault that answers immediately from a mutable "current" secret. */
function liveVault(initial: Read) {
  let current: Read | Error = initial;
  const getSecret = vi.fn(async () => {
    if (current instanceof Error) throw current;
    return current;
  });
  return {
    vault: { getSecret } as SecretReader,
    getSecret,
    set(next: Read | Error) {
      current = next;
    },
  };
}

describe("createCredentialProvider", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-01-15T10:00:00.000Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("makes no request before the provider is first called", () => {
    const { vault, getSecret } = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    const provider = createCredentialProvider(vault, PATH);
    expect(getSecret).not.toHaveBeenCalled();
    expect(provider.current).toBeUndefined();
  });

  it("reads the secret with the given token and version, then serves it from the cache", async () => {
    const { vault, getSecret } = liveVault({ value: VALUE_1, version: 3, expiresAt: null });
    const provider = createCredentialProvider(vault, PATH, { token: "ast_tok_fake", version: 3 });
    await expect(provider()).resolves.toBe(VALUE_1);
    await expect(provider()).resolves.toBe(VALUE_1);
    expect(getSecret).toHaveBeenCalledTimes(1);
    expect(getSecret).toHaveBeenCalledWith(PATH, { token: "ast_tok_fake", version: 3 });
    expect(provider.current).toEqual({
      version: 3,
      fetchedAt: new Date("2026-01-15T10:00:00.000Z"),
      expiresAt: null,
    });
  });

  it("shares one in-flight read among concurrent callers", async () => {
    const { vault, calls, answer } = scriptedVault();
    const provider = createCredentialProvider(vault, PATH);
    const results = Promise.all([provider(), provider(), provider()]);
    expect(calls).toHaveLength(1);
    answer({ value: VALUE_1, version: 1, expiresAt: null });
    await expect(results).resolves.toEqual([VALUE_1, VALUE_1, VALUE_1]);
  });

  it("re-reads after refreshAfter and picks up a rotated version", async () => {
    const live = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    const provider = createCredentialProvider(live.vault, PATH, { refreshAfter: 60_000 });
    await expect(provider()).resolves.toBe(VALUE_1);
    live.set({ value: VALUE_2, version: 2, expiresAt: null });

    vi.advanceTimersByTime(59_999);
    await expect(provider()).resolves.toBe(VALUE_1);
    expect(live.getSecret).toHaveBeenCalledTimes(1);

    vi.advanceTimersByTime(1);
    await expect(provider()).resolves.toBe(VALUE_2);
    expect(live.getSecret).toHaveBeenCalledTimes(2);
    expect(provider.current?.version).toBe(2);
  });

  it("uses a five minute refreshAfter by default", async () => {
    const live = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    const provider = createCredentialProvider(live.vault, PATH);
    await provider();
    vi.advanceTimersByTime(5 * 60_000 - 1);
    await provider();
    expect(live.getSecret).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    await provider();
    expect(live.getSecret).toHaveBeenCalledTimes(2);
  });

  it("re-reads as soon as the secret's expiresAt passes, before refreshAfter", async () => {
    const expiresAt = new Date("2026-01-15T10:00:30.000Z");
    const live = liveVault({ value: VALUE_1, version: 1, expiresAt });
    const provider = createCredentialProvider(live.vault, PATH, { refreshAfter: 3_600_000 });
    await provider();
    live.set({ value: VALUE_2, version: 2, expiresAt: null });
    vi.advanceTimersByTime(30_000);
    await expect(provider()).resolves.toBe(VALUE_2);
    expect(live.getSecret).toHaveBeenCalledTimes(2);
  });

  it("refresh() forces a new read even while the cached value is fresh", async () => {
    const live = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    const provider = createCredentialProvider(live.vault, PATH);
    await provider();
    live.set({ value: VALUE_2, version: 2, expiresAt: null });
    await expect(provider.refresh()).resolves.toBe(VALUE_2);
    await expect(provider()).resolves.toBe(VALUE_2);
    expect(live.getSecret).toHaveBeenCalledTimes(2);
  });

  it("refresh() does not reuse an ordinary read that was already in flight", async () => {
    const { vault, calls, answer } = scriptedVault();
    const provider = createCredentialProvider(vault, PATH);
    const ordinary = provider();
    const forced = provider.refresh();
    const forcedAgain = provider.refresh();
    expect(calls).toHaveLength(2);
    answer({ value: VALUE_1, version: 1, expiresAt: null });
    answer({ value: VALUE_2, version: 2, expiresAt: null });
    await expect(ordinary).resolves.toBe(VALUE_1);
    await expect(forced).resolves.toBe(VALUE_2);
    await expect(forcedAgain).resolves.toBe(VALUE_2);
    // The older read finished first but must not have overwritten the forced one.
    await expect(provider()).resolves.toBe(VALUE_2);
    expect(provider.current?.version).toBe(2);
  });

  it("invalidate() drops the cache so the next call reads again", async () => {
    const live = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    const provider = createCredentialProvider(live.vault, PATH);
    await provider();
    provider.invalidate();
    expect(provider.current).toBeUndefined();
    await provider();
    expect(live.getSecret).toHaveBeenCalledTimes(2);
  });

  it.each([401, 403, 404] as const)(
    "throws and forgets the value when a re-read answers %i",
    async (status) => {
      const live = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
      const provider = createCredentialProvider(live.vault, PATH, { refreshAfter: 1_000 });
      await provider();
      const gone = errorFor[status]();
      live.set(gone);
      vi.advanceTimersByTime(1_000);
      await expect(provider()).rejects.toBe(gone);
      expect(provider.current).toBeUndefined();
      live.set({ value: VALUE_2, version: 2, expiresAt: null });
      await expect(provider()).resolves.toBe(VALUE_2);
    },
  );

  it.each([
    ["a network error", networkError()],
    ["a timeout", new AgentVaultTimeoutError("timed out", { code: "TIMEOUT" })],
    ["a 503", new AgentVaultServerError("unavailable", { code: "INTERNAL", status: 503 })],
    ["a 429", new AgentVaultRateLimitError("slow down", { code: "RATE_LIMITED", status: 429 })],
  ])("serves the unexpired cached value when a re-read fails with %s", async (_label, error) => {
    const live = liveVault({
      value: VALUE_1,
      version: 1,
      expiresAt: new Date("2026-01-15T12:00:00.000Z"),
    });
    const provider = createCredentialProvider(live.vault, PATH, { refreshAfter: 1_000 });
    await provider();
    live.set(error);
    vi.advanceTimersByTime(1_000);
    await expect(provider()).resolves.toBe(VALUE_1);
    // The outage is not retried on every call...
    await expect(provider()).resolves.toBe(VALUE_1);
    expect(live.getSecret).toHaveBeenCalledTimes(2);
    // ...but it is retried after a short pause.
    live.set({ value: VALUE_2, version: 2, expiresAt: null });
    vi.advanceTimersByTime(30_000);
    await expect(provider()).resolves.toBe(VALUE_2);
  });

  it("never serves a cached value past its expiresAt when the vault is unreachable", async () => {
    const live = liveVault({
      value: VALUE_1,
      version: 1,
      expiresAt: new Date("2026-01-15T10:00:10.000Z"),
    });
    const provider = createCredentialProvider(live.vault, PATH);
    await provider();
    const outage = networkError();
    live.set(outage);
    vi.advanceTimersByTime(10_000);
    await expect(provider()).rejects.toBe(outage);
  });

  it("refresh() rejects instead of falling back to the cached value", async () => {
    const live = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    const provider = createCredentialProvider(live.vault, PATH);
    await provider();
    const outage = new AgentVaultServerError("down", { code: "INTERNAL", status: 503 });
    live.set(outage);
    await expect(provider.refresh()).rejects.toBe(outage);
  });

  it("throws errors that are neither transient nor a lost credential, even with a cached value", async () => {
    const live = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    const provider = createCredentialProvider(live.vault, PATH, { refreshAfter: 1 });
    await provider();
    const invalid = new AgentVaultValidationError("bad path", { code: "VALIDATION_ERROR" });
    live.set(invalid);
    vi.advanceTimersByTime(1);
    await expect(provider()).rejects.toBe(invalid);
  });

  it("propagates a failure of the first read to every waiting caller", async () => {
    const { vault, fail } = scriptedVault();
    const provider = createCredentialProvider(vault, PATH);
    const first = provider();
    const second = provider();
    const denied = errorFor[403]();
    fail(denied);
    await expect(first).rejects.toBe(denied);
    await expect(second).rejects.toBe(denied);
  });

  it("does not serve the cached value when the read was aborted", async () => {
    const live = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    const provider = createCredentialProvider(live.vault, PATH, { refreshAfter: 1 });
    await provider();
    const aborted = new AgentVaultAbortError("aborted", { code: "ABORTED" });
    live.set(aborted);
    vi.advanceTimersByTime(1);
    await expect(provider()).rejects.toBe(aborted);
  });

  it("passes its signal to the vault and rejects every call once aborted", async () => {
    const live = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    const controller = new AbortController();
    const provider = createCredentialProvider(live.vault, PATH, { signal: controller.signal });
    await provider();
    expect(live.getSecret).toHaveBeenCalledWith(PATH, { signal: controller.signal });
    controller.abort(new Error("run cancelled"));
    await expect(provider()).rejects.toThrow("run cancelled");
    await expect(provider.refresh()).rejects.toThrow("run cancelled");
  });

  it("rejects a negative refreshAfter", () => {
    const { vault } = liveVault({ value: VALUE_1, version: 1, expiresAt: null });
    expect(() => createCredentialProvider(vault, PATH, { refreshAfter: -1 })).toThrow(RangeError);
  });

  it("keeps the value out of String, JSON and util.inspect", async () => {
    const live = liveVault({ value: VALUE_1, version: 7, expiresAt: null });
    const provider = createCredentialProvider(live.vault, PATH);
    await provider();
    const renderings = [
      String(provider),
      `${provider}`,
      JSON.stringify(provider),
      JSON.stringify({ apiKey: provider }),
      inspect(provider, { showHidden: true, depth: 5 }),
      inspect({ apiKey: provider }),
    ];
    for (const rendering of renderings) {
      expect(rendering).not.toContain(VALUE_1);
      expect(rendering).toContain(PATH);
    }
    expect(JSON.parse(JSON.stringify(provider))).toEqual({
      path: PATH,
      current: { version: 7, fetchedAt: "2026-01-15T10:00:00.000Z", expiresAt: null },
    });
  });
});
