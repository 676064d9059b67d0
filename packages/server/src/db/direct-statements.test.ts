import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { directStatementsOf, registerDirectStatements } from "./direct-statements.js";
import { type PreparedOwner, PreparedQuery } from "./prepared-query.js";
import type { Database } from "./schema.js";
import { openSqliteDatabase } from "./sqlite-database.js";
import { WalSync } from "./wal-sync.js";

const NAME_OF = new PreparedQuery(1, (db: Kysely<Database>, id: string) =>
  db.selectFrom("tenants").select("name").where("id", "=", id),
);
const RENAME = new PreparedQuery(2, (db: Kysely<Database>, id: string, name: string) =>
  db.updateTable("tenants").set({ name }).where("id", "=", id),
);

async function createTenants(db: Kysely<Database>): Promise<void> {
  await sql`create table tenants (id text primary key, name text not null, key_check text not null, created_at text not null, metrics_token_hash text)`.execute(
    db,
  );
  await sql`insert into tenants (id, name, key_check, created_at) values ('a', 'one', 'k', '2026-01-01')`.execute(
    db,
  );
}

/** Lets every pending promise callback run, several rounds deep. */
async function settle(): Promise<void> {
  for (let round = 0; round < 20; round += 1) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

describe("direct statements", () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it("are what a SQLite database on the main thread runs its prepared queries with", async () => {
    const db = openSqliteDatabase({ filename: ":memory:" });
    await createTenants(db);
    const owner: PreparedOwner = { direct: directStatementsOf(db) };
    expect(owner.direct).toBeDefined();
    expect(await NAME_OF.execute(owner, db, "a")).toEqual([{ name: "one" }]);
    await RENAME.execute(owner, db, "a", "renamed");
    expect(await NAME_OF.execute({}, db, "a")).toEqual([{ name: "renamed" }]);
    await db.destroy();
  });

  it("never read into another request's open transaction: they wait for it, as Kysely does", async () => {
    const db = openSqliteDatabase({ filename: ":memory:" });
    await createTenants(db);
    const owner: PreparedOwner = { direct: directStatementsOf(db) };
    let finish = () => {};
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let renamed = () => {};
    const inside = new Promise<void>((resolve) => {
      renamed = resolve;
    });
    const transaction = db.transaction().execute(async (trx) => {
      await RENAME.execute(owner, trx, "a", "uncommitted");
      renamed();
      await held;
    });
    await inside;
    let read: unknown;
    const reading = NAME_OF.execute(owner, db, "a").then((rows) => {
      read = rows;
    });
    await settle();
    // Run directly, the read would have answered at once with the uncommitted name.
    expect(read).toBeUndefined();
    finish();
    await transaction;
    await reading;
    expect(read).toEqual([{ name: "uncommitted" }]);
    await db.destroy();
  });

  it("answer a write outside a transaction only once an fsync covering it returned", async () => {
    const folder = mkdtempSync(join(tmpdir(), "ass-direct-"));
    folders.push(folder);
    const filename = join(folder, "vault.db");
    const sqlite = new BetterSqlite3(filename);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    const syncs: (() => void)[] = [];
    const wal = new WalSync(
      filename,
      () =>
        new Promise<void>((resolve) => {
          syncs.push(resolve);
        }),
    );
    const prepare = (text: string) => sqlite.prepare(text);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    registerDirectStatements(db, { sqlite, prepareLogged: prepare, prepare, wal });
    sqlite.exec(
      "create table tenants (id text primary key, name text not null, key_check text not null, created_at text not null, metrics_token_hash text); insert into tenants values ('a', 'one', 'k', '2026-01-01', null)",
    );
    const owner: PreparedOwner = { direct: directStatementsOf(db) };
    let written = false;
    const writing = RENAME.execute(owner, db, "a", "two").then(() => {
      written = true;
    });
    // The WAL's descriptor is opened (and its folder synced) before the first fsync is asked for.
    const deadline = Date.now() + 10_000;
    while (syncs.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(syncs).toHaveLength(1);
    expect(written).toBe(false);
    // A read that could see the write waits for the same fsync.
    let read: unknown;
    const reading = NAME_OF.execute(owner, db, "a").then((rows) => {
      read = rows;
    });
    await settle();
    expect(read).toBeUndefined();
    syncs[0]?.();
    await writing;
    await reading;
    expect(read).toEqual([{ name: "two" }]);
    await wal.close();
    sqlite.close();
  });

  it("are logged inside a transaction, so that its commit waits for the fsync", async () => {
    const sqlite = new BetterSqlite3(":memory:");
    const logged: string[] = [];
    const prepareLogged = (text: string) => {
      logged.push(text);
      return sqlite.prepare(text);
    };
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    registerDirectStatements(db, {
      sqlite,
      prepareLogged,
      prepare: (text) => sqlite.prepare(text),
      wal: undefined,
    });
    await createTenants(db);
    const owner: PreparedOwner = { direct: directStatementsOf(db) };
    await db.transaction().execute((trx) => RENAME.execute(owner, trx, "a", "two"));
    expect(logged).toEqual([expect.stringMatching(/^update "tenants"/)]);
    await NAME_OF.execute(owner, db, "a");
    expect(logged).toHaveLength(1);
    await db.destroy();
  });
});
