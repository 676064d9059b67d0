import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "@agentsecretstore/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureIo } from "../../test/capture-io.js";
import { run } from "../run.js";

let folder: string;
const servers: RunningServer[] = [];
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "ass-cli-backup-"));
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await rm(folder, { recursive: true, force: true });
});

async function startVault(dataDir: string, env: Record<string, string> = {}) {
  const server = await startServer({ port: 0, dataDir, logger: false, env });
  servers.push(server);
  return server;
}

async function putSecret(server: RunningServer, agentKey: string, path: string, value: string) {
  const response = await fetch(`${server.baseUrl}/secrets/${path}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${agentKey}`, "content-type": "application/json" },
    body: JSON.stringify({ value }),
  });
  expect(response.status).toBe(201);
}

describe("ass backup and ass restore", () => {
  it("backs up a running vault and restores it into a new folder that a server with the same master key reads", async () => {
    const dataDir = join(folder, "data");
    const vault = await startVault(dataDir);
    const agentKey = vault.firstStart?.agentKey ?? "";
    await putSecret(vault, agentKey, "prod/db/password", "canary-value-cli-backup-1");
    const backupFile = join(folder, "vault-backup.db");

    const backup = captureIo({});
    expect(await run(["backup", backupFile, "--data-dir", dataDir], backup.io)).toBe(0);
    expect(backup.stdout()).toContain(`Backed up ${dataDir} to ${backupFile}`);
    expect(backup.stderr()).toMatch(/master key is not in the backup/);
    expect((await stat(backupFile)).mode & 0o777).toBe(0o600);
    const masterKey = (await readFile(join(dataDir, "master.key"), "utf8")).trim();
    expect((await readFile(backupFile)).includes(Buffer.from(masterKey))).toBe(false);

    const restoredDir = join(folder, "restored");
    const restore = captureIo({ ASS_MASTER_KEY: masterKey });
    expect(
      await run(["--json", "restore", backupFile, "--data-dir", restoredDir], restore.io),
    ).toBe(0);
    expect(JSON.parse(restore.stdout())).toEqual({
      database_file: join(restoredDir, "vault.db"),
      master_key_checked: true,
    });
    expect(await readdir(restoredDir)).toEqual(["vault.db"]);

    const copy = await startVault(restoredDir, { ASS_MASTER_KEY: masterKey });
    const read = await fetch(`${copy.baseUrl}/secrets/prod/db/password`, {
      headers: { authorization: `Bearer ${agentKey}` },
    });
    expect(((await read.json()) as { value: string }).value).toBe("canary-value-cli-backup-1");
  });

  it("says that the master key must come along when none is set to check against", async () => {
    const dataDir = join(folder, "data");
    await startVault(dataDir);
    expect(await run(["backup", join(folder, "b.db"), "-d", dataDir], captureIo({}).io)).toBe(0);
    const restore = captureIo({});
    expect(await run(["restore", join(folder, "b.db"), "-d", join(folder, "r")], restore.io)).toBe(
      0,
    );
    expect(restore.stderr()).toContain(`copy its master.key into ${join(folder, "r")}`);
  });

  it("refuses to overwrite a file or a folder, and to restore under another master key", async () => {
    const dataDir = join(folder, "data");
    await startVault(dataDir);
    await writeFile(join(folder, "taken.db"), "precious");
    const taken = captureIo({});
    expect(await run(["backup", join(folder, "taken.db"), "-d", dataDir], taken.io)).toBe(1);
    expect(taken.stderr()).toMatch(/already exists/);
    expect(await readFile(join(folder, "taken.db"), "utf8")).toBe("precious");

    expect(await run(["backup", join(folder, "b.db"), "-d", dataDir], captureIo({}).io)).toBe(0);
    const occupied = join(folder, "occupied");
    await mkdir(occupied);
    await writeFile(join(occupied, "notes.txt"), "keep me");
    const intoOccupied = captureIo({});
    expect(await run(["restore", join(folder, "b.db"), "-d", occupied], intoOccupied.io)).toBe(1);
    expect(intoOccupied.stderr()).toMatch(/not empty/);

    const wrongKey = captureIo({ ASS_MASTER_KEY: randomBytes(32).toString("base64") });
    const target = join(folder, "other");
    expect(await run(["restore", join(folder, "b.db"), "-d", target], wrongKey.io)).toBe(1);
    expect(wrongKey.stderr()).toMatch(/master key does not match/);
    expect(wrongKey.stderr()).not.toContain(wrongKey.io.env.ASS_MASTER_KEY);
  });

  it("needs --data-dir to restore", async () => {
    const capture = captureIo({});
    expect(await run(["restore", join(folder, "b.db")], capture.io)).toBe(2);
    expect(capture.stderr()).toMatch(/--data-dir/);
  });
});
