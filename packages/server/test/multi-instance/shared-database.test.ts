import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrateToLatest } from "../../src/db/migrate.js";
import { openPostgresDatabase } from "../../src/db/postgres-database.js";
import { createTestSchema, TEST_POSTGRES_URL } from "../helpers/test-database.js";

// Several vaults may share one PostgreSQL database, a schema each (docs: DATABASE_URL's
// ?schema=). One vault's start must neither see nor trip over the others: Kysely's stock
// introspection read every schema's columns and failed when a schema was dropped meanwhile.

const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
const churned: string[] = [];

afterAll(async () => {
  for (const schema of churned) {
    await admin.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
  }
  await admin.end();
});

describe("vaults sharing one PostgreSQL database", () => {
  it("migrate in their own schemas while other schemas come and go", async () => {
    await admin.connect();
    let churning = true;
    // Another vault's schema created, filled and dropped again and again, as a test run or an
    // operator removing a vault would.
    const churn = (async () => {
      for (let round = 0; churning; round += 1) {
        const schema = `ass_churn_${process.pid}_${round}`;
        churned.push(schema);
        const name = pg.escapeIdentifier(schema);
        await admin.query(`create schema ${name}`);
        await admin.query(`create table ${name}.t (id serial primary key, tenant_id text)`);
        await admin.query(`drop schema ${name} cascade`);
      }
    })();
    try {
      for (let start = 0; start < 8; start += 1) {
        const { url } = await createTestSchema();
        const database = openPostgresDatabase({ url, poolSize: 2 });
        try {
          await migrateToLatest(database);
          const tables = await database.db.introspection.getTables();
          expect(tables.map((table) => table.name)).toContain("secrets");
          // Only this vault's schema is seen.
          expect(new Set(tables.map((table) => table.schema))).toEqual(
            new Set([new URL(url).searchParams.get("schema")]),
          );
        } finally {
          await database.db.destroy();
        }
      }
    } finally {
      churning = false;
      await churn;
    }
  }, 120_000);
});
