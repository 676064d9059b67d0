import { type Kysely, Migrator } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase } from "../src/db/create-database.js";
import type { VaultDatabase } from "../src/db/database-engine.js";
import { isUniqueViolation } from "../src/db/database-errors.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { initialMigration } from "../src/db/migrations/001-initial.js";
import { approvalDecisionsMigration } from "../src/db/migrations/002-approval-decisions.js";
import { freshDatabaseConfig } from "./helpers/test-database.js";

let database: VaultDatabase | undefined;
afterEach(async () => {
  await database?.db.destroy();
  database = undefined;
});

const request = {
  tenant_id: "ten_1",
  status: "pending",
  tier: "sensitive",
  scopes: "[]",
  requested_by_type: "agent",
  requested_by_id: "agt_1",
  path: "prod/key",
  required_approvals: 1,
  expires_at: "2026-01-16T10:00:00.000Z",
  version: 0,
};

type Rows = Kysely<Record<string, Record<string, unknown>>>;

describe("migration 003 (one pending read request)", () => {
  it("cancels older duplicates of a pending read, then refuses new ones", async () => {
    database = createDatabase(await freshDatabaseConfig());
    const { db, engine } = database;
    const upTo002 = new Migrator({
      db,
      provider: {
        getMigrations: async () => ({
          "001-initial": initialMigration(engine.columnTypes),
          "002-approval-decisions": approvalDecisionsMigration(engine.columnTypes),
        }),
      },
      ...(engine.schema === undefined ? {} : { migrationTableSchema: engine.schema }),
    });
    expect((await upTo002.migrateToLatest()).error).toBeUndefined();
    const rows = db as unknown as Rows;
    await rows
      .insertInto("tenants")
      .values({ id: "ten_1", name: "t", key_check: "x", created_at: "2026-01-15T10:00:00.000Z" })
      .execute();
    await rows
      .insertInto("approvals")
      .values([
        { ...request, id: "apr_old", created_at: "2026-01-15T10:00:00.000Z" },
        { ...request, id: "apr_new", created_at: "2026-01-15T10:00:01.000Z" },
        {
          ...request,
          id: "apr_critical",
          tier: "critical",
          created_at: "2026-01-15T10:00:00.000Z",
        },
        { ...request, id: "apr_other", path: "prod/other", created_at: "2026-01-15T10:00:00.000Z" },
      ])
      .execute();

    await migrateToLatest(database);
    const after = await rows
      .selectFrom("approvals")
      .select(["id", "status", "version"])
      .orderBy("id")
      .execute();
    expect(after).toEqual([
      { id: "apr_critical", status: "pending", version: 0 },
      { id: "apr_new", status: "pending", version: 0 },
      { id: "apr_old", status: "cancelled", version: 1 },
      { id: "apr_other", status: "pending", version: 0 },
    ]);

    const duplicate = rows
      .insertInto("approvals")
      .values({ ...request, id: "apr_dup", created_at: "2026-01-15T10:00:02.000Z" })
      .execute();
    await expect(duplicate).rejects.toSatisfy(isUniqueViolation);
    // Decided requests and token requests are not limited.
    await rows
      .insertInto("approvals")
      .values([
        { ...request, id: "apr_denied", status: "denied", created_at: "2026-01-15T10:00:03.000Z" },
        {
          ...request,
          id: "apr_tok_1",
          path: null,
          token_id: "tok_1",
          created_at: "2026-01-15T10:00:04.000Z",
        },
        {
          ...request,
          id: "apr_tok_2",
          path: null,
          token_id: "tok_2",
          created_at: "2026-01-15T10:00:05.000Z",
        },
      ])
      .execute();
  });
});
