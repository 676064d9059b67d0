// Issue 17, item 13: what a read decides on (tier, current version, expiry, retirement) is
// authenticated, and a sealed value is bound to its secret's id. A database writer who changes
// those behind the server's back gets the secret refused (423 INTEGRITY_FAILED, audited), never
// served as if the change were legitimate. Both engines (the server-postgres project).

import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../src/create-server.js";
import type { DatabaseConfig } from "../src/db/create-database.js";
import { createDatabase } from "../src/db/create-database.js";
import { sealFormat1 } from "./helpers/legacy-seal.js";
import { freshDatabaseConfig } from "./helpers/test-database.js";
import {
  bearer,
  createTestClock,
  createTestServer,
  getWith,
  putSecret,
  type TestServer,
  UNTHROTTLED,
} from "./helpers/test-server.js";
import { createUnkeyedVault } from "./helpers/unkeyed-vault.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** A second connection to the vault's database, as a writer with database access has. */
async function behindTheServersBack<T>(
  config: DatabaseConfig,
  work: (db: ReturnType<typeof createDatabase>["db"]) => Promise<T>,
): Promise<T> {
  const { db } = createDatabase(config);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

async function startShared(): Promise<{ server: TestServer; config: DatabaseConfig }> {
  const config = await freshDatabaseConfig({ shared: true });
  server = await createTestServer({ database: config });
  return { server, config };
}

async function integrityEvents(test: TestServer) {
  const response = await getWith(test, test.adminKey, "/v1/audit?event=secret.integrity_failed");
  expect(response.statusCode).toBe(200);
  return response.json().items as {
    event: string;
    path: string;
    outcome: string;
    detail: Record<string, unknown>;
  }[];
}

function expectRefused(
  response: { statusCode: number; body: string; json(): { error: Record<string, unknown> } },
  path: string,
) {
  expect(response.statusCode).toBe(423);
  expect(response.json().error).toMatchObject({ code: "INTEGRITY_FAILED", path });
  expect(response.body).not.toContain("canary-value");
}

describe("secret metadata integrity", () => {
  it("refuses a critical secret whose tier column was lowered to standard behind the server's back, and audits it", async () => {
    const { server: test, config } = await startShared();
    await putSecret(test, test.adminKey, "prod/root", {
      value: "canary-value-c",
      tier: "critical",
    });
    const before = await getWith(test, test.agentKey, "/v1/secrets/prod/root");
    expect(before.statusCode).toBe(202);

    await behindTheServersBack(config, (db) =>
      db.updateTable("secrets").set({ tier: "standard" }).where("path", "=", "prod/root").execute(),
    );
    await behindTheServersBack(config, (db) =>
      db.updateTable("secret_versions").set({ tier: "standard" }).execute(),
    );

    expectRefused(await getWith(test, test.agentKey, "/v1/secrets/prod/root"), "prod/root");
    // Not for admins either, nor through the metadata route or a write.
    expectRefused(await getWith(test, test.adminKey, "/v1/secrets/prod/root"), "prod/root");
    expectRefused(await getWith(test, test.adminKey, "/v1/metadata/prod/root"), "prod/root");
    expectRefused(
      await putSecret(test, test.adminKey, "prod/root", { value: "canary-value-new" }),
      "prod/root",
    );
    const events = await integrityEvents(test);
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events[0]).toMatchObject({
      path: "prod/root",
      outcome: "failure",
      detail: { record: "secret" },
    });
  });

  it.each([
    ["a version's tier lowered", "secret_versions", { tier: "standard" }, "version"],
    ["the expiry of an expired secret cleared", "secrets", { expires_at: null }, "secret"],
    [
      "the current version moved back to a retired one",
      "secrets",
      { current_version: 1 },
      "secret",
    ],
    ["a retired version made readable again", "secret_versions", { retired_at: null }, "version"],
    ["the MAC itself cleared", "secrets", { meta_mac: null }, "secret"],
  ] as const)("refuses the secret when %s", async (_, table, change, record) => {
    const { server: test, config } = await startShared();
    const path = "prod/db/password";
    const put = await putSecret(test, test.adminKey, path, {
      value: "canary-value-1",
      tier: "sensitive",
      expires_at: new Date(test.clock.now().getTime() + 3_600_000).toISOString(),
    });
    expect(put.statusCode).toBe(201);
    const rotated = await test.app.inject({
      method: "POST",
      url: `/v1/secrets/${path}/rotate`,
      headers: bearer(test.adminKey),
      payload: { new_value: "canary-value-2", grace_period_seconds: 0 },
    });
    expect(rotated.statusCode).toBe(200);
    // Version 1 is retired (no grace); for the expiry case the secret has expired too.
    if ("expires_at" in change) test.clock.advance(7200);
    expect((await getWith(test, test.adminKey, `/v1/secrets/${path}?version=1`)).statusCode).toBe(
      404,
    );

    await behindTheServersBack(config, async (db) => {
      const query = db.updateTable(table).set(change as never);
      await (table === "secret_versions" ? query.where("version", "=", 1) : query).execute();
    });

    const read = await getWith(test, test.adminKey, `/v1/secrets/${path}?version=1`);
    const readCurrent = await getWith(test, test.adminKey, `/v1/secrets/${path}`);
    // The version asked for is refused; the current one too when the secret's row was changed.
    expect(read.statusCode).toBe(423);
    expect(readCurrent.statusCode).toBe(record === "secret" ? 423 : 200);
    for (const response of [read, readCurrent])
      expect(response.body).not.toContain("canary-value-1");
    const events = await integrityEvents(test);
    expect(events.map((event) => event.detail.record)).toContain(record);
  });

  it("refuses a secret whose broker per-call approval was cleared behind the server's back", async () => {
    const { server: test, config } = await startShared();
    const put = await putSecret(test, test.adminKey, "prod/llm/key", {
      value: "canary-value-llm",
      approval: "per_call",
    });
    expect(put.statusCode).toBe(201);
    expect((await getWith(test, test.adminKey, "/v1/metadata/prod/llm/key")).statusCode).toBe(200);
    await behindTheServersBack(config, (db) =>
      db
        .updateTable("secrets")
        .set({ approval: null })
        .where("path", "=", "prod/llm/key")
        .execute(),
    );
    expectRefused(await getWith(test, test.adminKey, "/v1/metadata/prod/llm/key"), "prod/llm/key");
  });

  it("refuses a deleted secret's sealed value replayed into the secret recreated at its path", async () => {
    const { server: test, config } = await startShared();
    const path = "prod/api/key";
    await putSecret(test, test.agentKey, path, { value: "canary-value-old" });
    const old = await behindTheServersBack(config, (db) =>
      db.selectFrom("secret_versions").select(["sealed", "meta_mac"]).executeTakeFirstOrThrow(),
    );
    const deleted = await test.app.inject({
      method: "DELETE",
      url: `/v1/secrets/${path}`,
      headers: bearer(test.agentKey),
    });
    expect(deleted.statusCode).toBe(204);
    await putSecret(test, test.agentKey, path, { value: "canary-value-new" });

    await behindTheServersBack(config, (db) =>
      db.updateTable("secret_versions").set({ sealed: old.sealed }).execute(),
    );
    expectRefused(await getWith(test, test.agentKey, `/v1/secrets/${path}`), path);
    // With the old row's MAC too: it names the deleted secret's id.
    await behindTheServersBack(config, (db) =>
      db.updateTable("secret_versions").set({ meta_mac: old.meta_mac }).execute(),
    );
    expectRefused(await getWith(test, test.agentKey, `/v1/secrets/${path}`), path);
    const events = await integrityEvents(test);
    expect(events.map((event) => event.detail.record).sort()).toEqual(["value", "version"]);
  });

  it("refuses a value sealed the old way (without the secret id) swapped into a row sealed the new way", async () => {
    const { server: test, config } = await startShared();
    const path = "prod/api/key";
    await putSecret(test, test.agentKey, path, { value: "canary-value-new" });
    const tenantId = test.app.firstStart?.tenantId ?? "";
    const legacy = sealFormat1(test.masterKey, { tenantId, path, version: 1 }, "canary-value-old");
    await behindTheServersBack(config, (db) =>
      db
        .updateTable("secret_versions")
        .set({ sealed: legacy.toString("base64") })
        .execute(),
    );
    expectRefused(await getWith(test, test.agentKey, `/v1/secrets/${path}`), path);
  });

  it("keeps legitimate tier changes, rotations, deletions and re-creations working", async () => {
    const { server: test } = await startShared();
    const path = "prod/svc/token";
    await putSecret(test, test.adminKey, path, { value: "canary-value-1", tier: "critical" });
    expect((await getWith(test, test.agentKey, `/v1/secrets/${path}`)).statusCode).toBe(202);
    await putSecret(test, test.adminKey, path, { value: "canary-value-2", tier: "standard" });
    expect((await getWith(test, test.agentKey, `/v1/secrets/${path}`)).json().value).toBe(
      "canary-value-2",
    );
    const rotated = await test.app.inject({
      method: "POST",
      url: `/v1/secrets/${path}/rotate`,
      headers: bearer(test.agentKey),
      payload: { new_value: "canary-value-3", grace_period_seconds: 60 },
    });
    expect(rotated.statusCode).toBe(200);
    expect((await getWith(test, test.agentKey, `/v1/secrets/${path}?version=2`)).json().value).toBe(
      "canary-value-2",
    );
    const metadata = await getWith(test, test.agentKey, `/v1/metadata/${path}`);
    expect(metadata.json().versions).toHaveLength(3);
    const listing = await getWith(test, test.agentKey, "/v1/secrets?namespace=prod");
    expect(listing.statusCode).toBe(200);
    await test.app.inject({
      method: "DELETE",
      url: `/v1/secrets/${path}`,
      headers: bearer(test.agentKey),
    });
    await putSecret(test, test.agentKey, path, { value: "canary-value-4" });
    expect((await getWith(test, test.agentKey, `/v1/secrets/${path}`)).json().value).toBe(
      "canary-value-4",
    );
    expect(await integrityEvents(test)).toEqual([]);
  });

  it("upgrades a vault written by the previous format: its rows get their MAC once, old values open, and a later change is refused", async () => {
    const config = await freshDatabaseConfig({ shared: true });
    const masterKey = randomBytes(32);
    const { adminKey, tenantId } = await createUnkeyedVault(config, masterKey, []);
    const at = "2026-01-15T10:00:00.000Z";
    await behindTheServersBack(config, async (db) => {
      // Sensitive, not critical: an admin key reads it alone (a critical read needs a second admin).
      for (const [index, tier] of (["standard", "sensitive"] as const).entries()) {
        const id = `sec_legacy${index}`;
        const path = `legacy/key${index}`;
        await db
          .insertInto("secrets")
          .values({
            id,
            tenant_id: tenantId,
            path,
            namespace: "legacy",
            key: `key${index}`,
            current_version: 1,
            tier,
            secret_type: "custom",
            description: null,
            tags: "{}",
            expires_at: null,
            created_at: at,
            updated_at: at,
            accessed_at: null,
          } as never)
          .execute();
        await db
          .insertInto("secret_versions")
          .values({
            secret_id: id,
            tenant_id: tenantId,
            version: 1,
            tier,
            sealed: sealFormat1(
              masterKey,
              { tenantId, path, version: 1 },
              `canary-value-${index}`,
            ).toString("base64"),
            created_at: at,
            retired_at: null,
          } as never)
          .execute();
      }
    });
    const app = await createServer({
      masterKey,
      database: config,
      rateLimits: UNTHROTTLED,
      now: createTestClock().now,
    });
    server = { app, adminKey, agentKey: "", metricsToken: "", clock: createTestClock(), masterKey };
    expect(app.firstStart).toBeNull();
    for (const index of [0, 1]) {
      const read = await getWith(server, adminKey, `/v1/secrets/legacy/key${index}`);
      expect(read.statusCode).toBe(200);
      expect(read.json().value).toBe(`canary-value-${index}`);
    }
    await behindTheServersBack(config, (db) =>
      db
        .updateTable("secrets")
        .set({ tier: "standard" })
        .where("path", "=", "legacy/key1")
        .execute(),
    );
    expectRefused(await getWith(server, adminKey, "/v1/secrets/legacy/key1"), "legacy/key1");
    // A row added later without a MAC is not adopted, not even by a restart.
    await app.close();
    await behindTheServersBack(config, (db) =>
      db.updateTable("secrets").set({ meta_mac: null }).where("path", "=", "legacy/key0").execute(),
    );
    const again = await createServer({ masterKey, database: config, rateLimits: UNTHROTTLED });
    server = { ...server, app: again };
    expectRefused(await getWith(server, adminKey, "/v1/secrets/legacy/key0"), "legacy/key0");
  });
});
