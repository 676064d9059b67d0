// Issue 17, item 6: the master key rotates online. Every sealed value is re-wrapped under the new
// key while servers keep serving (one given only the old key learns the new one from the
// keyring); agent keys, tokens and the audit chain stay valid (they derive from the vault key,
// which does not change); a run killed with SIGKILL is finished by running it again; once the old
// key is retired it opens nothing new. Both engines (the server-postgres project).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { MasterKeyMismatchError } from "../src/bootstrap.js";
import { createServer } from "../src/create-server.js";
import { masterKeyId, openSecretValue, sealedKeyId } from "../src/crypto/envelope.js";
import { publishMasterKey } from "../src/crypto/master-key.js";
import { createDatabase, type DatabaseConfig } from "../src/db/create-database.js";
import { sqliteFileIn } from "../src/first-start.js";
import { openKeyring } from "../src/open-keyring.js";
import { type RotateMasterKeyOptions, rotateMasterKey } from "../src/rotate-master-key.js";
import type { WebhookRows } from "../src/store/webhook-store.js";
import type { VaultServer } from "../src/vault-server.js";
import { openWebhookSecret } from "../src/webhooks/webhook-secret.js";
import { freshDatabaseConfig, TEST_ENGINE } from "./helpers/test-database.js";
import { bearer, UNTHROTTLED } from "./helpers/test-server.js";
import { createUnkeyedVault } from "./helpers/unkeyed-vault.js";

const servers: VaultServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const SECRETS = 12;

type Vault = {
  dataDir: string;
  masterKey: Buffer;
  database: DatabaseConfig;
  rotation: RotateMasterKeyOptions;
};

/** A vault's data folder and database: SQLite with master.key there, or PostgreSQL with ASS_MASTER_KEY. */
async function newVault(): Promise<Vault> {
  const dataDir = await mkdtemp(join(tmpdir(), "ass-rotate-"));
  const masterKey = randomBytes(32);
  if (TEST_ENGINE === "postgres") {
    const database = await freshDatabaseConfig();
    if (database.kind !== "postgres") throw new Error("expected PostgreSQL");
    const env = { ASS_MASTER_KEY: masterKey.toString("base64") };
    return {
      dataDir,
      masterKey,
      database,
      rotation: { dataDir, env, databaseUrl: database.url, settleSeconds: 0.5, batchSize: 5 },
    };
  }
  await publishMasterKey(dataDir, masterKey);
  return {
    dataDir,
    masterKey,
    database: { kind: "sqlite", filename: sqliteFileIn(dataDir) },
    rotation: { dataDir, env: {}, settleSeconds: 0.5, batchSize: 5 },
  };
}

async function serve(vault: Vault, masterKey = vault.masterKey): Promise<VaultServer> {
  const app = await createServer({
    masterKey,
    database: vault.database,
    rateLimits: UNTHROTTLED,
    keyringRefreshSeconds: 0.1,
  });
  servers.push(app);
  return app;
}

async function call(
  app: VaultServer,
  credential: string,
  method: "GET" | "PUT" | "POST",
  url: string,
  payload?: object,
) {
  return app.inject({ method, url, headers: bearer(credential), ...(payload ? { payload } : {}) });
}

/** Secrets (one rotated, so with two versions), an agent token; returns the credentials. */
async function populate(app: VaultServer) {
  const adminKey = app.firstStart?.adminKey ?? "";
  const agentKey = app.firstStart?.agentKey ?? "";
  for (let index = 0; index < SECRETS; index++) {
    const put = await call(app, adminKey, "PUT", `/v1/secrets/app/key${index}`, {
      value: `canary-value-${index}`,
    });
    expect(put.statusCode).toBe(201);
  }
  const rotated = await call(app, adminKey, "POST", "/v1/secrets/app/key0/rotate", {
    new_value: "canary-value-0b",
    grace_period_seconds: 3600,
  });
  expect(rotated.statusCode).toBe(200);
  const minted = await call(app, agentKey, "POST", "/v1/tokens", { scope: "secrets:read:app/*" });
  expect(minted.statusCode).toBe(201);
  return { adminKey, agentKey, token: minted.json().token as string };
}

async function expectAllReadable(app: VaultServer, credential: string) {
  for (let index = 0; index < SECRETS; index++) {
    const read = await call(app, credential, "GET", `/v1/secrets/app/key${index}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().value).toBe(index === 0 ? "canary-value-0b" : `canary-value-${index}`);
  }
  const old = await call(app, credential, "GET", "/v1/secrets/app/key0?version=1");
  expect(old.json().value).toBe("canary-value-0");
}

function newKeyOf(file: string): Buffer {
  return Buffer.from(file.trim(), "base64");
}

async function sealedRows(vault: Vault) {
  const { db } = createDatabase(vault.database);
  try {
    return await db
      .selectFrom("secret_versions")
      .innerJoin("secrets", "secrets.id", "secret_versions.secret_id")
      .select([
        "secrets.tenant_id",
        "secrets.path",
        "secret_versions.secret_id",
        "secret_versions.version",
        "secret_versions.sealed",
      ])
      .execute();
  } finally {
    await db.destroy();
  }
}

describe("master-key rotation", () => {
  it("re-wraps every value of a populated vault online; agent keys, tokens and the audit chain stay valid, and the old key alone opens nothing new", async () => {
    const vault = await newVault();
    const app = await serve(vault);
    const { adminKey, agentKey, token } = await populate(app);
    const webhook = await app.inject({
      method: "PUT",
      url: "/v1/webhook",
      headers: bearer(adminKey),
      payload: { url: "http://127.0.0.1:9/hook", secret: "canary-value-webhook-secret" },
    });
    expect(webhook.statusCode).toBe(200);

    const result = await rotateMasterKey(vault.rotation);
    // Every version (one secret has two) and the webhook's signing secret.
    expect(result).toMatchObject({ rewrapped: SECRETS + 2, retired: true, resumed: false });
    expect(result.oldKeyId).toBe(masterKeyId(vault.masterKey));
    expect(result.newKeyId).not.toBe(result.oldKeyId);

    // The server started with the old key alone keeps serving: it learnt the new key meanwhile.
    await expectAllReadable(app, adminKey);
    await expectAllReadable(app, token);
    expect((await call(app, agentKey, "GET", "/v1/secrets/app/key3")).statusCode).toBe(200);
    const written = await call(app, agentKey, "PUT", "/v1/secrets/app/after", {
      value: "canary-value-after",
    });
    expect(written.statusCode).toBe(201);
    const verified = await call(app, adminKey, "GET", "/v1/audit/verify");
    expect(verified.json()).toMatchObject({ ok: true });
    const events = await call(app, adminKey, "GET", "/v1/audit?event=master_key.rotated");
    expect(events.json().items).toHaveLength(1);

    const rows = await sealedRows(vault);
    expect(rows).toHaveLength(SECRETS + 2);
    for (const row of rows) {
      const sealed = Buffer.from(row.sealed, "base64");
      expect(sealedKeyId(sealed)).toBe(result.newKeyId);
      const binding = {
        tenantId: row.tenant_id,
        path: row.path,
        version: row.version,
        secretId: row.secret_id,
      };
      // The old key cannot open it, not even when told to try.
      expect(() => openSecretValue({ keyFor: () => vault.masterKey }, binding, sealed)).toThrow();
    }
    // The tenant webhook's signing secret is re-wrapped like the values.
    const { db: check } = createDatabase(vault.database);
    try {
      const hook = await (check as unknown as Kysely<WebhookRows>)
        .selectFrom("tenant_webhooks")
        .select(["tenant_id", "sealed_secret"])
        .executeTakeFirstOrThrow();
      expect(sealedKeyId(Buffer.from(hook.sealed_secret, "base64"))).toBe(result.newKeyId);
      const database = createDatabase(vault.database);
      try {
        const keyring = await openKeyring(
          database,
          [newKeyOf(await readFile(result.newKeyFile, "utf8"))],
          () => new Date(),
        );
        expect(openWebhookSecret(keyring, hook.tenant_id, hook.sealed_secret)).toBe(
          "canary-value-webhook-secret",
        );
      } finally {
        await database.db.destroy();
      }
    } finally {
      await check.destroy();
    }
    // Nor the keyring: a server given only the old key refuses to start, saying why.
    const database = createDatabase(vault.database);
    try {
      await expect(openKeyring(database, [vault.masterKey], () => new Date())).rejects.toThrow(
        MasterKeyMismatchError,
      );
      await expect(openKeyring(database, [vault.masterKey], () => new Date())).rejects.toThrow(
        /retired/,
      );
    } finally {
      await database.db.destroy();
    }
    // The new key, from where the rotation put it, opens everything.
    const newKey = Buffer.from((await readFile(result.newKeyFile, "utf8")).trim(), "base64");
    expect(masterKeyId(newKey)).toBe(result.newKeyId);
    expect(((await stat(result.newKeyFile)).mode & 0o777).toString(8)).toBe("600");
    const restarted = await serve(vault, newKey);
    expect(restarted.firstStart).toBeNull();
    await expectAllReadable(restarted, token);
    if (TEST_ENGINE === "sqlite") {
      expect(result.newKeyFile).toBe(join(vault.dataDir, "master.key"));
      const kept = await readFile(
        join(vault.dataDir, `master.key.retired-${result.oldKeyId}`),
        "utf8",
      );
      expect(Buffer.from(kept.trim(), "base64").equals(vault.masterKey)).toBe(true);
    }
  });

  it("makes an instance that missed it answer 503 UNAVAILABLE, not an integrity failure, and say so in its health", async () => {
    const vault = await newVault();
    // It never re-reads the keyring on its own, so it misses the rotation's bridge.
    const missed = await createServer({
      masterKey: vault.masterKey,
      database: vault.database,
      rateLimits: UNTHROTTLED,
      keyringRefreshSeconds: 3600,
    });
    servers.push(missed);
    const { adminKey, agentKey } = await populate(missed);
    expect((await missed.inject({ method: "GET", url: "/v1/health" })).json()).toMatchObject({
      status: "ok",
      master_key: "ok",
    });
    const result = await rotateMasterKey(vault.rotation);
    expect(result.retired).toBe(true);

    const read = await call(missed, agentKey, "GET", "/v1/secrets/app/key3");
    expect(read.statusCode, read.body).toBe(503);
    expect(read.json().error.code).toBe("UNAVAILABLE");
    const write = await call(missed, agentKey, "PUT", "/v1/secrets/app/after", {
      value: "canary-value-after",
    });
    expect(write.statusCode, write.body).toBe(503);
    expect(write.json().error.code).toBe("UNAVAILABLE");
    const health = await missed.inject({ method: "GET", url: "/v1/health" });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({
      status: "unavailable",
      database: "ok",
      master_key: "missing",
    });
    // Nothing was altered: no integrity failure is reported, and the chain verifies.
    const failures = await call(missed, adminKey, "GET", "/v1/audit?event=secret.integrity_failed");
    expect(failures.json().items).toEqual([]);

    const newKey = newKeyOf(await readFile(result.newKeyFile, "utf8"));
    const restarted = await serve(vault, newKey);
    expect((await restarted.inject({ method: "GET", url: "/v1/health" })).json()).toMatchObject({
      status: "ok",
      master_key: "ok",
    });
    await expectAllReadable(restarted, adminKey);
    expect(
      (
        await call(restarted, agentKey, "PUT", "/v1/secrets/app/after", {
          value: "canary-value-after",
        })
      ).statusCode,
    ).toBe(201);
  });

  it("is finished by running it again after a kill -9 in the middle, while the server keeps reading", async () => {
    const vault = await newVault();
    const app = await serve(vault);
    const { token } = await populate(app);
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "test/fixtures/rotate-master-key.ts"],
      {
        cwd: join(import.meta.dirname, ".."),
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ASS_TEST_ROTATE_OPTIONS: JSON.stringify(vault.rotation) },
      },
    );
    let errors = "";
    child.stderr?.on("data", (chunk) => {
      errors += String(chunk);
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const [line] = (await Promise.race([
      once(lines, "line"),
      once(child, "exit").then(() => {
        throw new Error(`the rotation exited early: ${errors}`);
      }),
    ])) as [string];
    expect(line).toBe("batch 5");
    child.kill("SIGKILL");
    await once(child, "exit");

    // Half done: some values under the new key, some under the old; all of them readable.
    const keyIds = new Set(
      (await sealedRows(vault)).map((row) => sealedKeyId(Buffer.from(row.sealed, "base64"))),
    );
    expect(keyIds.size).toBe(2);
    await expectAllReadable(app, token);

    const result = await rotateMasterKey(vault.rotation);
    expect(result).toMatchObject({ resumed: true, retired: true, rewrapped: SECRETS + 1 - 5 });
    const after = new Set(
      (await sealedRows(vault)).map((row) => sealedKeyId(Buffer.from(row.sealed, "base64"))),
    );
    expect([...after]).toEqual([result.newKeyId]);
    await expectAllReadable(app, token);
  });

  it("keeps two instances answering reads while it runs, both started with the old key only", async () => {
    const vault = await newVault();
    const first = await serve(vault);
    const { token } = await populate(first);
    const second = await serve(vault);
    let reads = 0;
    let failures: string[] = [];
    let running = true;
    const readers = [first, second].map(async (app) => {
      while (running) {
        const index = reads % SECRETS;
        const read = await call(app, token, "GET", `/v1/secrets/app/key${index}`);
        if (read.statusCode !== 200) failures = [...failures, `${read.statusCode} ${read.body}`];
        reads += 1;
        await sleep(10);
      }
    });
    let result: Awaited<ReturnType<typeof rotateMasterKey>>;
    try {
      result = await rotateMasterKey({
        ...vault.rotation,
        batchSize: 4,
        onBatch: async () => {
          // Between two batches: both instances read values under both keys.
          await expectAllReadable(first, token);
          await expectAllReadable(second, token);
        },
      });
    } finally {
      running = false;
      await Promise.all(readers);
    }
    expect(result.retired).toBe(true);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    await expectAllReadable(second, token);
  }, 180_000);

  it("adopts the key of a vault from before keyrings, whose admin key and audit chain stay valid through a rotation", async () => {
    const vault = await newVault();
    const { adminKey } = await createUnkeyedVault(vault.database, vault.masterKey, [
      { event: "secret.created", path: "app/key0" },
    ]);
    const app = await serve(vault);
    expect(app.firstStart).toBeNull();
    const put = await call(app, adminKey, "PUT", "/v1/secrets/app/legacy", {
      value: "canary-value-legacy",
    });
    expect(put.statusCode).toBe(201);
    await rotateMasterKey(vault.rotation);
    const read = await call(app, adminKey, "GET", "/v1/secrets/app/legacy");
    expect(read.json().value).toBe("canary-value-legacy");
    expect((await call(app, adminKey, "GET", "/v1/audit/verify")).json()).toMatchObject({
      ok: true,
    });
  });
});
