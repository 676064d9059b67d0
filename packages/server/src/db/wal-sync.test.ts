import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "./sqlite-database.js";
import { WalSync } from "./wal-sync.js";

/** An fsync the test finishes by hand, recording each one started. */
function manualSync() {
  const started: { finish: () => void }[] = [];
  const syncFile = () =>
    new Promise<void>((resolve) => {
      started.push({ finish: resolve });
    });
  return { started, syncFile };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Waits (a few event-loop turns at a time) until `count` fsyncs have started. */
async function untilStarted(started: unknown[], count: number): Promise<void> {
  for (let turn = 0; turn < 1000 && started.length < count; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect(started).toHaveLength(count);
}

describe("WalSync", () => {
  let folder: string;
  let file: string;
  let sqlite: BetterSqlite3.Database;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-wal-sync-"));
    file = join(folder, "vault.db");
    // A WAL database held open, so that <file>-wal exists.
    sqlite = new BetterSqlite3(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("create table t (x integer); insert into t values (1)");
  });
  afterEach(async () => {
    sqlite.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("resolves a commit only once an fsync that began after it has returned", async () => {
    const { started, syncFile } = manualSync();
    const wal = new WalSync(file, syncFile);
    let done = false;
    const commit = wal.committed().then(() => {
      done = true;
    });
    await untilStarted(started, 1);
    expect(done).toBe(false);
    expect(wal.untilDurable()).toBeInstanceOf(Promise);
    started[0]?.finish();
    await commit;
    expect(done).toBe(true);
    expect(wal.untilDurable()).toBeUndefined();
    await wal.close();
  });

  it("gives the commits made during an fsync one more fsync, shared by all of them", async () => {
    const { started, syncFile } = manualSync();
    const wal = new WalSync(file, syncFile);
    const first = wal.committed();
    await untilStarted(started, 1);
    const later = [wal.committed(), wal.committed(), wal.committed()];
    let laterDone = 0;
    for (const each of later) void each.then(() => laterDone++);
    await tick();
    expect(started).toHaveLength(1);
    started[0]?.finish();
    await first;
    // The running fsync may have missed them: they wait for the next, which is one for all three.
    await untilStarted(started, 2);
    expect(laterDone).toBe(0);
    started[1]?.finish();
    await Promise.all(later);
    expect(laterDone).toBe(3);
    expect(started).toHaveLength(2);
    await wal.close();
  });

  it("lets a read wait for the commits it could have seen, and only while one is not on disk", async () => {
    const { started, syncFile } = manualSync();
    const wal = new WalSync(file, syncFile);
    expect(wal.untilDurable()).toBeUndefined();
    const commit = wal.committed();
    let readDone = false;
    const read = wal.untilDurable()?.then(() => {
      readDone = true;
    });
    await untilStarted(started, 1);
    expect(readDone).toBe(false);
    started[0]?.finish();
    await Promise.all([commit, read]);
    expect(readDone).toBe(true);
    await wal.close();
  });

  it("passes an fsync failure to the commits waiting for it, and syncs again for the next", async () => {
    let calls = 0;
    const wal = new WalSync(file, async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" });
    });
    await expect(wal.committed()).rejects.toThrow(/EIO/);
    await expect(wal.committed()).resolves.toBeUndefined();
    expect(calls).toBe(2);
    await wal.close();
  });
});

describe("a SQLite file database", () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-durable-sqlite-"));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("commits with synchronous = NORMAL and keeps every acknowledged write, transactions and single statements alike", async () => {
    const file = join(folder, "vault.db");
    const db = openSqliteDatabase({ filename: file });
    const [mode] = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows;
    expect(mode?.synchronous).toBe(1);
    await sql`create table t (x integer)`.execute(db);
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        index % 2 === 0
          ? db.transaction().execute((trx) => sql`insert into t values (${index})`.execute(trx))
          : sql`insert into t values (${index})`.execute(db),
      ),
    );
    await db.destroy();
    const reopened = new BetterSqlite3(file, { readonly: true });
    expect(reopened.prepare("select count(*) as n from t").get()).toEqual({ n: 20 });
    reopened.close();
  });
});
