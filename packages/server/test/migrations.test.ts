import { type Kysely, Migrator } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase } from "../src/db/create-database.js";
import type { VaultDatabase } from "../src/db/database-engine.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { initialMigration } from "../src/db/migrations/001-initial.js";
import { freshDatabaseConfig } from "./helpers/test-database.js";

let database: VaultDatabase | undefined;
afterEach(async () => {
  await database?.db.destroy();
  database = undefined;
});

const CREATED = "2026-01-15T10:00:00.000Z";
const TOKEN_EXPIRES = "2026-01-15T11:00:00.000Z";

describe("migration 002 (approval decisions)", () => {
  it("gives older requests an expiry: their token's, or a day after they were made", async () => {
    database = createDatabase(await freshDatabaseConfig());
    const { db, engine } = database;
    const first = new Migrator({
      db,
      provider: {
        getMigrations: async () => ({ "001-initial": initialMigration(engine.columnTypes) }),
      },
      ...(engine.schema === undefined ? {} : { migrationTableSchema: engine.schema }),
    });
    expect((await first.migrateToLatest()).error).toBeUndefined();
    // Rows as the first schema knew them (no expires_at, no version).
    const legacy = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await legacy
      .insertInto("tenants")
      .values({ id: "ten_1", name: "t", key_check: "x", created_at: CREATED })
      .execute();
    await legacy
      .insertInto("tokens")
      .values({
        id: "tok_1",
        tenant_id: "ten_1",
        token_hash: "h",
        issuer_type: "agent",
        issuer_id: "agt_1",
        scopes: "[]",
        ttl_seconds: 3600,
        expires_at: TOKEN_EXPIRES,
        approval_status: "pending",
        approval_request_id: "apr_token",
        approved_tier: "standard",
        created_at: CREATED,
      })
      .execute();
    const request = {
      tenant_id: "ten_1",
      status: "pending",
      tier: "sensitive",
      scopes: "[]",
      requested_by_type: "agent",
      requested_by_id: "agt_1",
      required_approvals: 1,
      created_at: CREATED,
    };
    await legacy
      .insertInto("approvals")
      .values([
        { ...request, id: "apr_token", token_id: "tok_1" },
        { ...request, id: "apr_read", path: "prod/key" },
      ])
      .execute();

    await migrateToLatest(database);
    const rows = await db
      .selectFrom("approvals")
      .select(["id", "expires_at", "version", "decided_by"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { id: "apr_read", expires_at: "2026-01-16T10:00:00.000Z", version: 0, decided_by: null },
      { id: "apr_token", expires_at: TOKEN_EXPIRES, version: 0, decided_by: null },
    ]);
  });
});
