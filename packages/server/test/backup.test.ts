// backupSqlite / restoreSqlite: SQLite-only by nature (a PostgreSQL vault is backed up with
// pg_dump, see the README), so vitest.postgres.config.ts leaves this file out.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BackupError, backupSqlite, restoreSqlite } from "../src/backup/sqlite-backup.js";
import { MasterKeyMismatchError } from "../src/bootstrap.js";
import { type RunningServer, startServer } from "../src/start-server.js";
import { callJson } from "./helpers/server-process.js";
import { UNTHROTTLED } from "./helpers/test-server.js";

let folder: string;
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer({
    port: 0,
    dataDir,
    logger: false,
    env,
    rateLimits: UNTHROTTLED,
  });
  servers.push(server);
  return server;
}

describe("backupSqlite and restoreSqlite", () => {
  it("snapshots a vault that is being written, restores it into a fresh folder, and the server reads every secret there with the same master key", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-backup-"));
    const dataDir = join(folder, "data");
    const original = await start(dataDir);
    const agentKey = original.firstStart?.agentKey ?? "";
    const adminKey = original.firstStart?.adminKey ?? "";
    const masterKey = (await readFile(join(dataDir, "master.key"), "utf8")).trim();

    const acknowledged = new Map<string, string>();
    let writing = true;
    const writer = async (worker: number) => {
      for (let index = 0; writing; index += 1) {
        const path = `backup/w${worker}/k${index}`;
        const value = `canary-value-backup-${worker}-${index}`;
        const { status } = await callJson("PUT", `${original.baseUrl}/secrets/${path}`, agentKey, {
          value,
        });
        if (status === 201) acknowledged.set(path, value);
      }
    };
    const writers = Array.from({ length: 4 }, (_, worker) => writer(worker));
    while (acknowledged.size < 40) await new Promise((resolve) => setTimeout(resolve, 5));
    // Every write acknowledged before the backup starts must be in it.
    const before = new Map(acknowledged);
    const backupFile = join(folder, "vault-backup.db");
    const result = await backupSqlite(dataDir, backupFile);
    writing = false;
    await Promise.all(writers);
    expect(result.bytes).toBeGreaterThan(0);
    expect((await stat(backupFile)).mode & 0o777).toBe(0o600);

    const bytes = await readFile(backupFile);
    for (const needle of [masterKey, agentKey, adminKey, ...before.values()]) {
      expect(bytes.includes(Buffer.from(needle)), `${needle.slice(0, 24)}… in the backup`).toBe(
        false,
      );
    }

    const restoredDir = join(folder, "restored");
    const restored = await restoreSqlite(backupFile, restoredDir);
    expect(restored.masterKeyChecked).toBe(false);
    expect(await readdir(restoredDir)).toEqual(["vault.db"]);
    expect((await stat(restoredDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(restoredDir, "vault.db"))).mode & 0o777).toBe(0o600);

    const copy = await start(restoredDir, { ASS_MASTER_KEY: masterKey });
    expect(copy.firstStart).toBeNull();
    for (const [path, value] of before) {
      const read = await callJson("GET", `${copy.baseUrl}/secrets/${path}`, agentKey);
      expect(read.status, path).toBe(200);
      expect(read.body.value).toBe(value);
    }
    const verify = await callJson("GET", `${copy.baseUrl}/audit/verify`, adminKey);
    expect(verify.body).toMatchObject({ ok: true });
  }, 30_000);

  it("refuses to start the restored vault under another master key", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-backup-"));
    await start(join(folder, "data"));
    await backupSqlite(join(folder, "data"), join(folder, "backup.db"));
    await restoreSqlite(join(folder, "backup.db"), join(folder, "restored"));
    await expect(
      startServer({
        port: 0,
        dataDir: join(folder, "restored"),
        logger: false,
        env: { ASS_MASTER_KEY: randomBytes(32).toString("base64") },
      }),
    ).rejects.toThrow(MasterKeyMismatchError);
  });

  it("checks the backup against ASS_MASTER_KEY before writing anything, when it is set", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-backup-"));
    const dataDir = join(folder, "data");
    await start(dataDir);
    const masterKey = (await readFile(join(dataDir, "master.key"), "utf8")).trim();
    await backupSqlite(dataDir, join(folder, "backup.db"));
    const wrongKey = { ASS_MASTER_KEY: randomBytes(32).toString("hex") };
    await expect(
      restoreSqlite(join(folder, "backup.db"), join(folder, "wrong"), { env: wrongKey }),
    ).rejects.toThrow(MasterKeyMismatchError);
    await expect(readdir(join(folder, "wrong"))).rejects.toThrow(/ENOENT/);
    const right = await restoreSqlite(join(folder, "backup.db"), join(folder, "right"), {
      env: { ASS_MASTER_KEY: masterKey },
    });
    expect(right.masterKeyChecked).toBe(true);
  });

  it("never overwrites: an existing backup file, or a data folder that is not empty", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-backup-"));
    const dataDir = join(folder, "data");
    await start(dataDir);
    await writeFile(join(folder, "taken.db"), "precious");
    await expect(backupSqlite(dataDir, join(folder, "taken.db"))).rejects.toThrow(BackupError);
    expect(await readFile(join(folder, "taken.db"), "utf8")).toBe("precious");

    await backupSqlite(dataDir, join(folder, "backup.db"));
    await expect(restoreSqlite(join(folder, "backup.db"), dataDir)).rejects.toThrow(/not empty/);
    const occupied = join(folder, "occupied");
    await mkdir(occupied);
    await writeFile(join(occupied, "notes.txt"), "keep me");
    await expect(restoreSqlite(join(folder, "backup.db"), occupied)).rejects.toThrow(BackupError);
    expect(await readdir(occupied)).toEqual(["notes.txt"]);
  });

  it("refuses what is not a vault backup, and a folder without a vault", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-backup-"));
    await writeFile(join(folder, "junk.db"), randomBytes(4096));
    await expect(restoreSqlite(join(folder, "junk.db"), join(folder, "a"))).rejects.toThrow(
      BackupError,
    );
    await expect(restoreSqlite(join(folder, "missing.db"), join(folder, "b"))).rejects.toThrow(
      /no backup file/,
    );
    await expect(backupSqlite(join(folder, "empty"), join(folder, "c.db"))).rejects.toThrow(
      /no vault.db/,
    );
    expect((await readdir(folder)).sort()).toEqual(["junk.db"]);
  });
});
