import { type Kysely, sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PreparedQueriesBySize, PreparedQuery } from "./prepared-query.js";
import type { Database } from "./schema.js";
import { openSqliteDatabase } from "./sqlite-database.js";

describe("PreparedQuery", () => {
  const db = openSqliteDatabase({ filename: ":memory:" });
  afterEach(async () => {
    await sql`drop table if exists tenants`.execute(db);
  });

  // The tenants table's shape, three rows of it.
  async function seed() {
    await sql`create table tenants (id text primary key, name text not null, key_check text not null, created_at text not null, metrics_token_hash text)`.execute(
      db,
    );
    await sql`insert into tenants (id, name, key_check, created_at) values ('a', 'one', 'k1', '2026-01-01'), ('b', 'one', 'k2', '2026-02-01'), ('c', 'two', 'k3', '2026-03-01')`.execute(
      db,
    );
  }

  it("builds its query once per owner and runs it with each call's values, wherever they go", async () => {
    await seed();
    // The parameters come into the SQL in another order than they are passed.
    const build = vi.fn((database: Kysely<Database>, name: string, since: string) =>
      database
        .selectFrom("tenants")
        .select("id")
        .where("created_at", ">=", since)
        .where("name", "=", name)
        .orderBy("id"),
    );
    const query = new PreparedQuery(2, build);
    const owner = {};
    expect(await query.execute(owner, db, "one", "2026-02-01")).toEqual([{ id: "b" }]);
    expect(await query.execute(owner, db, "two", "2000-01-01")).toEqual([{ id: "c" }]);
    expect(await query.execute(owner, db, "one", "2000-01-01")).toEqual([{ id: "a" }, { id: "b" }]);
    expect(build).toHaveBeenCalledTimes(1);
    await query.execute({}, db, "one", "2000-01-01");
    expect(build).toHaveBeenCalledTimes(2);
  });

  it("runs inside a transaction of the database it was compiled for", async () => {
    await seed();
    const query = new PreparedQuery(1, (database: Kysely<Database>, id: string) =>
      database.selectFrom("tenants").select("name").where("id", "=", id),
    );
    const owner = {};
    expect(await query.execute(owner, db, "a")).toEqual([{ name: "one" }]);
    const rows = await db.transaction().execute(async (transaction) => {
      await transaction
        .updateTable("tenants")
        .set({ name: "renamed" })
        .where("id", "=", "a")
        .execute();
      return query.execute(owner, transaction, "a");
    });
    expect(rows).toEqual([{ name: "renamed" }]);
  });

  it("passes a value used twice in both places", async () => {
    await seed();
    const query = new PreparedQuery(1, (database: Kysely<Database>, text: string) =>
      database
        .selectFrom("tenants")
        .select("id")
        .where((eb) => eb.or([eb("id", "=", text), eb("name", "=", text)]))
        .orderBy("id"),
    );
    expect(await query.execute({}, db, "two")).toEqual([{ id: "c" }]);
    expect(await query.execute({}, db, "a")).toEqual([{ id: "a" }]);
  });

  it("keeps the constants the query binds besides its parameters", async () => {
    await seed();
    const query = new PreparedQuery(1, (database: Kysely<Database>, name: string) =>
      database
        .selectFrom("tenants")
        .select("id")
        .where("name", "=", name)
        .where("key_check", "!=", "k1")
        .orderBy("id"),
    );
    expect(await query.execute({}, db, "one")).toEqual([{ id: "b" }]);
    expect(await query.execute({}, db, "two")).toEqual([{ id: "c" }]);
  });

  it("refuses a query that does not bind every parameter", async () => {
    const query = new PreparedQuery(2, (database: Kysely<Database>, id: string, _unused: string) =>
      database.selectFrom("tenants").select("id").where("id", "=", id),
    );
    await expect(query.execute({}, db, "a", "b")).rejects.toThrow(
      /must use each of its 2 parameters/,
    );
  });
});

describe("PreparedQueriesBySize", () => {
  const db = openSqliteDatabase({ filename: ":memory:" });
  afterEach(async () => {
    await sql`drop table if exists tenants`.execute(db);
  });

  const idsIn = (made: number[]) =>
    new PreparedQueriesBySize<{ id: string }>(3, (items) => {
      made.push(items);
      return new PreparedQuery(items, (database: Kysely<Database>, ...ids: unknown[]) =>
        database
          .selectFrom("tenants")
          .select("id")
          .where("id", "in", ids as string[])
          .orderBy("id"),
      );
    });

  it("runs a list of any length in chunks, making one query per size once", async () => {
    await sql`create table tenants (id text primary key, name text not null, key_check text not null, created_at text not null, metrics_token_hash text)`.execute(
      db,
    );
    const ids = ["a", "b", "c", "d", "e", "f", "g"];
    for (const id of ids) {
      await sql`insert into tenants (id, name, key_check, created_at) values (${id}, 'n', 'k', 'now')`.execute(
        db,
      );
    }
    const made: number[] = [];
    const query = idsIn(made);
    const owner = {};
    const asked = ["g", "a", "x", "c", "e", "b", "f"];
    const rows = await query.executeChunked(owner, db, asked, (chunk) => chunk);
    expect(rows.map((row) => row.id).sort()).toEqual(["a", "b", "c", "e", "f", "g"]);
    // 7 items in chunks of 3: sizes 3 and 1 made once each, the second chunk of 3 reuses its query.
    expect(made).toEqual([3, 1]);
    expect(await query.executeChunked(owner, db, ["d", "e"], (chunk) => chunk)).toEqual([
      { id: "d" },
      { id: "e" },
    ]);
    expect(made).toEqual([3, 1, 2]);
    expect(await query.executeChunked(owner, db, [], (chunk) => chunk)).toEqual([]);
  });

  it("refuses a size it does not take", () => {
    const query = idsIn([]);
    expect(() => query.forSize(0)).toThrow(/1 to 3 items, not 0/);
    expect(() => query.forSize(4)).toThrow(RangeError);
  });
});
