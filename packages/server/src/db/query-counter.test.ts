import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import {
  countStatements,
  disableQueryCounting,
  enableQueryCounting,
  queriesExecuted,
} from "./query-counter.js";
import { openSqliteDatabase } from "./sqlite-database.js";

afterAll(disableQueryCounting);

describe("query counter", () => {
  it("counts nothing on a database opened before counting was turned on", async () => {
    disableQueryCounting();
    const db = openSqliteDatabase({ filename: ":memory:" });
    const before = queriesExecuted();
    await sql`select 1`.execute(db);
    countStatements(3);
    expect(queriesExecuted()).toBe(before);
    await db.destroy();
  });

  it("counts every statement, BEGIN and COMMIT included, once turned on", async () => {
    enableQueryCounting();
    const db = openSqliteDatabase({ filename: ":memory:" });
    const before = queriesExecuted();
    await sql`select 1`.execute(db);
    expect(queriesExecuted() - before).toBe(1);
    await db.transaction().execute(async (transaction) => {
      await sql`select 2`.execute(transaction);
    });
    expect(queriesExecuted() - before).toBe(4);
    countStatements(2);
    expect(queriesExecuted() - before).toBe(6);
    await db.destroy();
  });
});
