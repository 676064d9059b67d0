import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { isUniqueViolation } from "./database-errors.js";
import { disableQueryCounting, enableQueryCounting, queriesExecuted } from "./query-counter.js";
import { openSqliteDatabase } from "./sqlite-database.js";

// The SQLite file engine: writes on the writer thread, reads outside a transaction on the main
// thread's own connection. Plain tables (not the vault's) keep the cases small.
type Row = { id: string; n: number };
// biome-ignore lint/suspicious/noExplicitAny: a scratch schema of its own
type Db = Kysely<any>;

let folder: string;
let db: Db;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "ass-threaded-"));
  db = openSqliteDatabase({
    filename: join(folder, "scratch.db"),
    writerThread: true,
  }) as unknown as Db;
  await sql`create table items (id text primary key, n integer not null)`.execute(db);
});

afterAll(disableQueryCounting);

afterEach(async () => {
  await db.destroy();
  await rm(folder, { recursive: true, force: true });
});

const count = async (executor: Db = db) =>
  Number((await sql<{ c: number }>`select count(*) as c from items`.execute(executor)).rows[0]?.c);

describe("SQLite with a writer thread", () => {
  it("answers a read outside a transaction at once, from the last commit, while one is open", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside = -1;
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: "a", n: 1 }).execute();
      inside = await count(trx);
      await held;
    });
    while (inside === -1) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(inside).toBe(1); // the transaction sees its own write
    expect(await count()).toBe(0); // a read outside it does not wait, and sees the last commit
    release();
    await transaction;
    expect(await count()).toBe(1);
  });

  it("runs a write outside a transaction after the open transaction, never inside it", async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let begun = false;
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: "t", n: 1 }).execute();
      begun = true;
      await held;
      order.push("commit");
    });
    while (!begun) await new Promise((resolve) => setTimeout(resolve, 1));
    const write = db
      .insertInto("items")
      .values({ id: "w", n: 2 })
      .execute()
      .then(() => order.push("write"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    release();
    await Promise.all([transaction, write]);
    expect(order).toEqual(["commit", "write"]);
    expect(await count()).toBe(2);
  });

  it("keeps SQLite's error codes, rolls the transaction back, and serves the next one", async () => {
    await db.insertInto("items").values({ id: "a", n: 1 }).execute();
    const failed = await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto("items").values({ id: "b", n: 2 }).execute();
        await trx.insertInto("items").values({ id: "a", n: 3 }).execute();
      })
      .catch((error: unknown) => error);
    expect(isUniqueViolation(failed)).toBe(true);
    expect((failed as { code?: string }).code).toBe("SQLITE_CONSTRAINT_PRIMARYKEY");
    expect(await count()).toBe(1); // "b" was rolled back with the failed insert
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("items").set({ n: 5 }).where("id", "=", "a").execute();
    });
    const rows = await db.selectFrom("items").selectAll().execute();
    expect(rows as Row[]).toEqual([{ id: "a", n: 5 }]);
  });

  it("commits an empty transaction, and one whose first statement fails, without harm", async () => {
    await db.transaction().execute(async () => {});
    const failed = await db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into missing_table values (1)`.execute(trx);
      })
      .catch((error: unknown) => error);
    expect(String(failed)).toContain("no such table");
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: "x", n: 1 }).execute();
    });
    expect(await count()).toBe(1);
  });

  it("returns what a write reports: affected rows, RETURNING rows", async () => {
    await db
      .insertInto("items")
      .values([
        { id: "a", n: 1 },
        { id: "b", n: 1 },
      ])
      .execute();
    const updated = await db
      .updateTable("items")
      .set({ n: 2 })
      .where("n", "=", 1)
      .executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const returned = await db
      .updateTable("items")
      .set({ n: 3 })
      .where("id", "=", "b")
      .returning(["id", "n"])
      .execute();
    expect(returned).toEqual([{ id: "b", n: 3 }]);
  });

  it("runs racing transactions one at a time: no update is lost", async () => {
    await db.insertInto("items").values({ id: "c", n: 0 }).execute();
    await Promise.all(
      Array.from({ length: 25 }, () =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom("items")
            .select("n")
            .where("id", "=", "c")
            .executeTakeFirstOrThrow();
          await trx
            .updateTable("items")
            .set({ n: Number(row.n) + 1 })
            .where("id", "=", "c")
            .execute();
        }),
      ),
    );
    const row = await db.selectFrom("items").select("n").where("id", "=", "c").executeTakeFirst();
    expect(row).toEqual({ n: 25 });
  });

  it("never writes on the main thread's read connection", async () => {
    // A write statement outside a transaction goes to the writer; the read connection is
    // query_only, so a write that reached it would fail instead of succeeding.
    await db.insertInto("items").values({ id: "a", n: 1 }).execute();
    await sql`delete from items`.execute(db);
    expect(await count()).toBe(0);
  });

  it("counts every statement, BEGIN and COMMIT included, with counting on", async () => {
    enableQueryCounting();
    const counted = openSqliteDatabase({
      filename: join(folder, "counted.db"),
      writerThread: true,
    });
    try {
      await sql`select 1`.execute(counted);
      const before = queriesExecuted();
      await sql`select 1`.execute(counted);
      await counted.transaction().execute(async (trx) => {
        await sql`select 2`.execute(trx);
      });
      expect(queriesExecuted() - before).toBe(4);
    } finally {
      await counted.destroy();
    }
  });
});
