// Tamper evidence against whoever holds the database (issue 17, item 5): the audit chain is keyed
// with an HMAC under a key derived from the master key, so that editing the database and
// re-hashing the chain with plain SHA-256 no longer verifies; an old vault's unkeyed chain is
// re-chained once at start.
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { GENESIS_HASH, hashAuditEvent } from "../src/audit/hash-chain.js";
import { createServer } from "../src/create-server.js";
import { createDatabase, type DatabaseConfig } from "../src/db/create-database.js";
import type { Database } from "../src/db/schema.js";
import type { VaultServer } from "../src/vault-server.js";
import { freshDatabaseConfig } from "./helpers/test-database.js";
import { bearer } from "./helpers/test-server.js";
import { createUnkeyedVault } from "./helpers/unkeyed-vault.js";

const VALUE = "audit-chain-test-value";

/** The audit events of the vault made by the old code. */
const OLD_EVENTS = [
  { event: "admin.created", path: null },
  { event: "secret.created", path: "old/1" },
  { event: "secret.created", path: "old/2" },
];

let app: VaultServer | undefined;
let tamper: Kysely<Database> | undefined;
afterEach(async () => {
  await app?.close();
  await tamper?.destroy();
  app = undefined;
  tamper = undefined;
});

async function startVault(config: DatabaseConfig, masterKey: Buffer): Promise<VaultServer> {
  app = await createServer({ masterKey, database: config });
  return app;
}

async function call(
  server: VaultServer,
  adminKey: string,
  method: "GET" | "POST" | "PUT",
  url: string,
  payload?: unknown,
) {
  return server.inject({
    method,
    url,
    headers: bearer(adminKey),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function verify(server: VaultServer, adminKey: string) {
  return (await call(server, adminKey, "GET", "/v1/audit/verify")).json();
}

async function putSecrets(server: VaultServer, adminKey: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    const response = await call(server, adminKey, "PUT", `/v1/secrets/${path}`, {
      value: VALUE,
    });
    expect(response.statusCode).toBe(201);
  }
}

/**
 * What a database writer without the master key can do: re-hash the tenant's whole chain with
 * plain SHA-256 (the old, unkeyed algorithm) and set the head to match, so every link holds.
 */
async function rehashUnkeyed(db: Kysely<Database>): Promise<void> {
  const rows = await db.selectFrom("audit_events").selectAll().orderBy("seq").execute();
  let prevHash = GENESIS_HASH;
  let seq = 0;
  for (const row of rows) {
    const hash = hashAuditEvent(null, prevHash, {
      id: row.id,
      at: row.at,
      tenantId: row.tenant_id,
      event: row.event,
      actorType: row.actor_type,
      actorId: row.actor_id,
      tokenId: row.token_id,
      path: row.path,
      version: row.version,
      ip: row.ip,
      outcome: row.outcome,
      requestId: row.request_id,
      ...(row.detail === null ? {} : { detail: JSON.parse(row.detail) }),
    });
    seq += 1;
    await db
      .updateTable("audit_events")
      .set({ seq, prev_hash: prevHash, hash })
      .where("id", "=", row.id)
      .execute();
    prevHash = hash;
  }
  await db.updateTable("audit_heads").set({ seq, hash: prevHash }).execute();
}

describe("the keyed audit chain", () => {
  it("reports a chain with an event deleted and the rest re-hashed with SHA-256 as broken", async () => {
    const config = await freshDatabaseConfig({ shared: true });
    const server = await startVault(config, randomBytes(32));
    const adminKey = server.firstStart?.adminKey ?? "";
    await putSecrets(server, adminKey, ["a/1", "a/2", "a/3"]);
    expect(await verify(server, adminKey)).toMatchObject({ ok: true, count: 5 });

    tamper = createDatabase(config).db;
    const removed = await tamper
      .selectFrom("audit_events")
      .select("id")
      .where("seq", "=", 4)
      .executeTakeFirstOrThrow();
    await tamper.deleteFrom("audit_events").where("id", "=", removed.id).execute();
    await rehashUnkeyed(tamper);

    const result = await verify(server, adminKey);
    expect(result).toMatchObject({ ok: false, count: 0 });
    expect(result.reason).toContain("unkeyed SHA-256");
  });

  it("re-chains an old vault's unkeyed chain once at start, audited, and then verifies", async () => {
    const config = await freshDatabaseConfig({ shared: true });
    const masterKey = randomBytes(32);
    const { adminKey } = await createUnkeyedVault(config, masterKey, OLD_EVENTS);

    let server = await startVault(config, masterKey);
    expect(server.firstStart).toBeNull();
    const events = (await call(server, adminKey, "GET", "/v1/audit")).json().items as {
      event: string;
      detail: Record<string, unknown> | null;
      actor_type: string;
    }[];
    expect(events.map((event) => event.event)).toEqual([
      ...OLD_EVENTS.map((event) => event.event),
      "audit.rekeyed",
    ]);
    expect(events[3]).toMatchObject({ actor_type: "system", detail: { events: 3 } });
    expect(await verify(server, adminKey)).toMatchObject({ ok: true, count: 4 });

    // Once: a later start re-chains nothing, even after the chain is re-hashed unkeyed again.
    await server.close();
    app = undefined;
    tamper = createDatabase(config).db;
    await rehashUnkeyed(tamper);
    server = await startVault(config, masterKey);
    const again = await verify(server, adminKey);
    expect(again).toMatchObject({ ok: false });
    expect(again.reason).toContain("unkeyed SHA-256");
  });

  it("leaves an old vault's chain that was already broken as it is, and verify reports it", async () => {
    const config = await freshDatabaseConfig({ shared: true });
    const masterKey = randomBytes(32);
    const { adminKey } = await createUnkeyedVault(config, masterKey, OLD_EVENTS);
    tamper = createDatabase(config).db;
    await tamper
      .updateTable("audit_events")
      .set({ path: "old/other" })
      .where("seq", "=", 3)
      .execute();

    const server = await startVault(config, masterKey);
    const events = (await call(server, adminKey, "GET", "/v1/audit")).json().items as {
      event: string;
    }[];
    expect(events.map((event) => event.event)).not.toContain("audit.rekeyed");
    expect(await verify(server, adminKey)).toMatchObject({ ok: false, count: 0 });
  });
});

describe("signed checkpoints of the chain head", () => {
  it("reports a chain cut back past an earlier checkpoint, even with the head row set to match", async () => {
    const config = await freshDatabaseConfig({ shared: true });
    const server = await startVault(config, randomBytes(32));
    const adminKey = server.firstStart?.adminKey ?? "";
    await putSecrets(server, adminKey, ["c/1", "c/2"]);
    const taken = await call(server, adminKey, "GET", "/v1/audit/checkpoint");
    expect(taken.statusCode).toBe(200);
    const checkpoint = taken.json();
    expect(checkpoint).toMatchObject({
      tenant: expect.stringMatching(/^ten_/),
      seq: 4,
      head_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      at: expect.any(String),
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await putSecrets(server, adminKey, ["c/3"]);
    const later = (await call(server, adminKey, "GET", "/v1/audit/checkpoint")).json();
    const intact = await call(server, adminKey, "POST", "/v1/audit/verify", {
      checkpoints: [checkpoint, later],
    });
    expect(intact.json()).toMatchObject({ ok: true, count: 5, checkpoints: 2 });

    // Cut the newest events off the end and set the head to the new end: every link still holds.
    tamper = createDatabase(config).db;
    await tamper.deleteFrom("audit_events").where("seq", ">", 3).execute();
    const end = await tamper
      .selectFrom("audit_events")
      .select("hash")
      .where("seq", "=", 3)
      .executeTakeFirstOrThrow();
    await tamper.updateTable("audit_heads").set({ seq: 3, hash: end.hash }).execute();
    expect(await verify(server, adminKey)).toMatchObject({ ok: true, count: 3 });

    const checked = await call(server, adminKey, "POST", "/v1/audit/verify", {
      checkpoints: [checkpoint],
    });
    expect(checked.statusCode).toBe(200);
    expect(checked.json()).toMatchObject({
      ok: false,
      count: 3,
      broken_at: "seq 4",
      checkpoints: 0,
    });
    expect(checked.json().reason).toContain("removed from the end");
  });

  it("refuses a forged or altered checkpoint, and one of another tenant, with 400", async () => {
    const config = await freshDatabaseConfig();
    const server = await startVault(config, randomBytes(32));
    const adminKey = server.firstStart?.adminKey ?? "";
    const checkpoint = (await call(server, adminKey, "GET", "/v1/audit/checkpoint")).json();
    const forgeries = [
      { ...checkpoint, signature: "ab".repeat(32) },
      { ...checkpoint, seq: checkpoint.seq + 5 },
      { ...checkpoint, at: "2020-01-01T00:00:00.000Z" },
    ];
    for (const forged of forgeries) {
      const response = await call(server, adminKey, "POST", "/v1/audit/verify", {
        checkpoints: [checkpoint, forged],
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({
        code: "VALIDATION_ERROR",
        issues: [{ field: "checkpoints[1].signature" }],
      });
    }
    const created = await call(server, adminKey, "POST", "/v1/tenants", { name: "second" });
    const otherAdmin = created.json().admin_key as string;
    const foreign = await call(server, otherAdmin, "POST", "/v1/audit/verify", {
      checkpoints: [checkpoint],
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.issues).toEqual([
      { field: "checkpoints[0].tenant", message: expect.any(String) },
    ]);
    const malformed = await call(server, adminKey, "POST", "/v1/audit/verify", {
      checkpoints: [{ ...checkpoint, signature: "not-hex" }],
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toContain("signature");
    const agentKey = server.firstStart?.agentKey ?? "";
    expect((await call(server, agentKey, "GET", "/v1/audit/checkpoint")).statusCode).toBe(403);
  });
});
