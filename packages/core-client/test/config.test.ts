import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSecretCache } from "../src/cache/index.js";
import {
  AgentVault,
  AgentVaultAbortError,
  AgentVaultConfigurationError,
  type SecretCacheStore,
} from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  AGENT_KEY,
  CHILD_TOKEN,
  capturingLogger,
  ORIGIN,
  rejectionOf,
  wireSecret,
} from "./support/vault-fixtures.js";

useNock();

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("configuration from the environment", () => {
  it("reads ASS_AGENT_KEY and ASS_BASE_URL", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${AGENT_KEY}` } })
      .get("/v1/secrets/a/b")
      .reply(200, wireSecret("a/b"));
    const vault = new AgentVault({ env: { ASS_AGENT_KEY: AGENT_KEY, ASS_BASE_URL: ORIGIN } });
    expect(vault.baseUrl).toBe(`${ORIGIN}/v1`);
    await vault.getSecret("a/b");
  });

  it("reads ASS_TOKEN, which wins over ASS_AGENT_KEY", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${CHILD_TOKEN}` } })
      .get("/v1/secrets/a/b")
      .reply(200, wireSecret("a/b"));
    const vault = new AgentVault({
      env: { ASS_AGENT_KEY: AGENT_KEY, ASS_TOKEN: CHILD_TOKEN, ASS_BASE_URL: ORIGIN },
    });
    await vault.getSecret("a/b");
  });

  it("reads process.env when no env option is given", async () => {
    vi.stubEnv("ASS_AGENT_KEY", AGENT_KEY);
    vi.stubEnv("ASS_BASE_URL", `${ORIGIN}/v1/`);
    vi.stubEnv("ASS_TOKEN", "");
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${AGENT_KEY}` } })
      .get("/v1/secrets/a/b")
      .reply(200, wireSecret("a/b"));
    const vault = new AgentVault();
    expect(vault.baseUrl).toBe(`${ORIGIN}/v1`);
    await vault.getSecret("a/b");
  });

  it("defaults to the local server", () => {
    expect(new AgentVault({ env: {} }).baseUrl).toBe("http://127.0.0.1:8787/v1");
  });

  it("lets options win over the environment", () => {
    const vault = new AgentVault({
      baseUrl: "http://127.0.0.1:9999",
      env: { ASS_BASE_URL: ORIGIN },
    });
    expect(vault.baseUrl).toBe("http://127.0.0.1:9999/v1");
  });
});

describe("a missing credential", () => {
  it("does not stop construction", () => {
    expect(() => new AgentVault({ env: {} })).not.toThrow();
  });

  it("fails the first call with a message naming both options and both variables", async () => {
    const fetch = vi.fn();
    const error = await rejectionOf(new AgentVault({ env: {}, fetch }).getSecret("a/b"));
    expect(error).toBeInstanceOf(AgentVaultConfigurationError);
    for (const name of ["agentKey", "ASS_AGENT_KEY", "token", "ASS_TOKEN"]) {
      expect(error.message).toContain(name);
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it("is not needed when the call passes a token", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${CHILD_TOKEN}` } })
      .get("/v1/secrets/a/b")
      .reply(200, wireSecret("a/b"));
    await new AgentVault({ baseUrl: ORIGIN, env: {} }).getSecret("a/b", { token: CHILD_TOKEN });
  });
});

describe("option checks", () => {
  it.each([
    [{ timeout: 0 }, "timeout"],
    [{ retries: -1 }, "retries"],
    [{ retries: 1.5 }, "retries"],
    [{ baseUrl: "ftp://127.0.0.1" }, "baseUrl"],
  ])("refuses %o at construction", (options, name) => {
    const create = () => new AgentVault({ env: {}, ...options });
    expect(create).toThrow(AgentVaultConfigurationError);
    expect(create).toThrow(name);
  });

  it.each([
    [{ ttl: -1 }, "cache.ttl"],
    [{ ttl: 10, jitter: 2 }, "cache.jitter"],
    [{ ttl: 10, maxEntries: 0 }, "cache.maxEntries"],
  ])("refuses cache options %o", (options, name) => {
    const create = () => createSecretCache(options);
    expect(create).toThrow(AgentVaultConfigurationError);
    expect(create).toThrow(name);
  });

  it("says what the cache option takes when given the options of a cache", () => {
    const create = () =>
      new AgentVault({ env: {}, cache: { ttl: 1000 } as unknown as SecretCacheStore });
    expect(create).toThrow(AgentVaultConfigurationError);
    expect(create).toThrow("createSecretCache({ ttl }) from @agentsecretstore/client/cache");
  });

  it("warns when a remote baseUrl is plain http", () => {
    const logger = capturingLogger();
    new AgentVault({ env: {}, baseUrl: "http://vault.example.test", logger });
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});

describe("close and await using", () => {
  it("aborts requests in flight and refuses later calls", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").delay(5_000).reply(200, wireSecret("a/b"));
    const vault = new AgentVault({ baseUrl: ORIGIN, agentKey: AGENT_KEY, env: {} });
    const reading = rejectionOf(vault.getSecret("a/b"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await vault.close();
    expect(await reading).toBeInstanceOf(AgentVaultAbortError);
    const later = await rejectionOf(vault.getSecret("a/b"));
    expect(later).toBeInstanceOf(AgentVaultConfigurationError);
    expect((later as AgentVaultConfigurationError).code).toBe("CLIENT_CLOSED");
    await expect(vault.close()).resolves.toBeUndefined();
    nock.abortPendingRequests();
  });

  it("closes at the end of an await using block", async () => {
    let escaped: AgentVault | undefined;
    {
      await using vault = new AgentVault({ baseUrl: ORIGIN, agentKey: AGENT_KEY, env: {} });
      escaped = vault;
    }
    const error = await rejectionOf(escaped.getSecret("a/b"));
    expect((error as AgentVaultConfigurationError).code).toBe("CLIENT_CLOSED");
  });
});
