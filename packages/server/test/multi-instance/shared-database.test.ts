// Several app instances in this process on one PostgreSQL schema: the races of a load-balanced
// deployment, without the cost of processes. PostgreSQL-only by nature; runs once, in the
// "server" project (vitest.postgres.config.ts leaves this folder out).
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type VaultServer } from "../../src/create-server.js";
import { MasterKeyError } from "../../src/crypto/master-key.js";
import type { DatabaseConfig } from "../../src/db/create-database.js";
import { startServer } from "../../src/start-server.js";
import { createTestSchema } from "../helpers/test-database.js";
import { bearer, UNTHROTTLED } from "../helpers/test-server.js";

const apps: VaultServer[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function postgresConfig(): Promise<DatabaseConfig> {
  const { url } = await createTestSchema();
  return { kind: "postgres", url, poolSize: 8 };
}

/** Starts `count` instances at once on one database with one master key. */
async function instances(count: number, database: DatabaseConfig): Promise<VaultServer[]> {
  const masterKey = randomBytes(32);
  const started = await Promise.all(
    Array.from({ length: count }, () =>
      createServer({ masterKey, database, rateLimits: UNTHROTTLED }),
    ),
  );
  apps.push(...started);
  return started;
}

function keysOf(started: VaultServer[]) {
  const first = started.find((app) => app.firstStart !== null)?.firstStart;
  if (!first) throw new Error("no instance created the first keys");
  return first;
}

describe("instances sharing one PostgreSQL database", () => {
  it("creates one set of first keys when three instances start at once on an empty database", async () => {
    const started = await instances(3, await postgresConfig());
    expect(started.filter((app) => app.firstStart !== null)).toHaveLength(1);
    const { adminKey } = keysOf(started);
    for (const app of started) {
      const admins = await app.inject({
        method: "GET",
        url: "/v1/admins",
        headers: bearer(adminKey),
      });
      expect(admins.statusCode).toBe(200);
      expect(admins.json().items).toHaveLength(1);
    }
  });

  it("refuses an instance whose master key differs from the one the database was created with", async () => {
    const database = await postgresConfig();
    await instances(1, database);
    await expect(createServer({ masterKey: randomBytes(32), database })).rejects.toThrow(
      /master key does not match/,
    );
  });

  it("answers a write retried on another instance with the same Idempotency-Key once, with the stored response", async () => {
    const started = await instances(2, await postgresConfig());
    const { agentKey } = keysOf(started);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        started[index % 2]?.inject({
          method: "PUT",
          url: "/v1/secrets/idem/key",
          headers: { ...bearer(agentKey), "idempotency-key": "retry-1" },
          payload: { value: "canary-value-idem-2f19" },
        }),
      ),
    );
    const statuses = responses.map((response) => response?.statusCode);
    expect(new Set(statuses)).toEqual(new Set([201]));
    expect(new Set(responses.map((response) => response?.json().version))).toEqual(new Set([1]));
    const metadata = await started[0]?.inject({
      method: "GET",
      url: "/v1/metadata/idem/key",
      headers: bearer(agentKey),
    });
    expect(metadata?.json().versions).toHaveLength(1);
  });

  it("gives racing writes of one path on two instances one version number each", async () => {
    const started = await instances(2, await postgresConfig());
    const { agentKey, adminKey } = keysOf(started);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        started[index % 2]?.inject({
          method: "PUT",
          url: "/v1/secrets/contended/key",
          headers: bearer(agentKey),
          payload: { value: `canary-value-contended-${index}` },
        }),
      ),
    );
    const statuses = responses.map((response) => response?.statusCode);
    expect(statuses.filter((status) => status !== 200 && status !== 201)).toEqual([]);
    const versions = responses.map((response) => response?.json().version as number);
    expect([...versions].sort((left, right) => left - right)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    const verify = await started[1]?.inject({
      method: "GET",
      url: "/v1/audit/verify",
      headers: bearer(adminKey),
    });
    expect(verify?.json()).toMatchObject({ ok: true });
  });

  it("keeps one audit chain when both instances append at once (reads, writes, denials)", async () => {
    const started = await instances(2, await postgresConfig());
    const { agentKey, adminKey } = keysOf(started);
    await started[0]?.inject({
      method: "PUT",
      url: "/v1/secrets/chain/key",
      headers: bearer(agentKey),
      payload: { value: "canary-value-chain-0b7e" },
    });
    const before = await started[0]?.inject({
      method: "GET",
      url: "/v1/audit/verify",
      headers: bearer(adminKey),
    });
    const requests = Array.from({ length: 60 }, (_, index) => {
      const app = started[index % 2];
      const kind = index % 3;
      if (kind === 0) {
        return app?.inject({
          method: "PUT",
          url: `/v1/secrets/chain/w${index}`,
          headers: bearer(agentKey),
          payload: { value: `canary-value-chain-${index}` },
        });
      }
      return app?.inject({
        method: "GET",
        url: "/v1/secrets/chain/key",
        headers: bearer(kind === 1 ? agentKey : "ass_live_not-a-real-key-000000"),
      });
    });
    await Promise.all(requests);
    const after = await started[1]?.inject({
      method: "GET",
      url: "/v1/audit/verify",
      headers: bearer(adminKey),
    });
    expect(after?.json()).toMatchObject({ ok: true });
    expect(after?.json().count - before?.json().count).toBe(60);
  });
});

describe("startServer on PostgreSQL", () => {
  it("refuses to start without a shared master key, and makes up no key file", async () => {
    const { url } = await createTestSchema();
    const dataDir = await mkdtemp(join(tmpdir(), "ass-pg-key-"));
    try {
      await expect(
        startServer({ port: 0, dataDir, databaseUrl: url, env: {}, logger: false }),
      ).rejects.toThrow(MasterKeyError);
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("takes DATABASE_URL from the environment and runs with ASS_MASTER_KEY alone", async () => {
    const { url } = await createTestSchema();
    const dataDir = join(tmpdir(), `ass-pg-none-${randomBytes(4).toString("hex")}`);
    const server = await startServer({
      port: 0,
      dataDir,
      env: { DATABASE_URL: url, ASS_MASTER_KEY: randomBytes(32).toString("hex") },
      logger: false,
    });
    try {
      const health = await fetch(`${server.baseUrl}/health`);
      expect(health.status).toBe(200);
      expect(server.firstStart?.masterKeyCreated).toBe(false);
      // Nothing is written locally: the data folder is not even created.
      await expect(readdir(dataDir)).rejects.toThrow(/ENOENT/);
    } finally {
      await server.close();
    }
  });

  it("names neither the URL nor its password when the database URL is wrong", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ass-pg-url-"));
    try {
      const failure = startServer({
        port: 0,
        dataDir,
        databaseUrl: "mysql://user:canary-password-9a1f@127.0.0.1/test",
        env: { ASS_MASTER_KEY: randomBytes(32).toString("hex") },
        logger: false,
      });
      await expect(failure).rejects.toThrow(/postgres:\/\//);
      await expect(failure).rejects.not.toThrow(/canary-password/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
