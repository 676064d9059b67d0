import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { eventually, parseDotenv } from "./capture-io.js";
import { spawnAss } from "./spawn-ass.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "ass-cli-recover-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function startVault(dataDir: string) {
  const server = spawnAss(["server", "--port", "0", "--data-dir", dataDir]);
  const keys = await eventually(() => {
    const lines = parseDotenv(server.stdout());
    return lines.ASS_BASE_URL ? lines : undefined;
  }, 30_000);
  return { server, keys };
}

it("ass server recover-admin prints a new operator key from the data folder; the old keys still work; it is audited", async () => {
  const dataDir = join(folder, "data");
  const first = await startVault(dataDir);
  first.server.child.kill("SIGTERM");
  expect(await first.server.exited).toBe(0);

  const recovery = spawnAss(["server", "recover-admin", "--data-dir", dataDir]);
  expect(await recovery.exited).toBe(0);
  const newKey = parseDotenv(recovery.stdout()).ASS_ADMIN_KEY;
  expect(newKey).toMatch(/^ass_admin_/);
  expect(newKey).not.toBe(first.keys.ASS_ADMIN_KEY);

  const again = await startVault(dataDir);
  try {
    const base = again.keys.ASS_BASE_URL;
    const admins = await fetch(`${base}/admins`, {
      headers: { authorization: `Bearer ${newKey}` },
    });
    expect(admins.status).toBe(200);
    const listed = JSON.stringify(await admins.json());
    expect(listed).toContain("operator-recovered");
    // Nothing else was revoked.
    const withOld = await fetch(`${base}/admins`, {
      headers: { authorization: `Bearer ${first.keys.ASS_ADMIN_KEY}` },
    });
    expect(withOld.status).toBe(200);
    const agent = await fetch(`${base}/secrets`, {
      headers: { authorization: `Bearer ${first.keys.ASS_AGENT_KEY}` },
    });
    expect(agent.status).toBe(200);
    const audit = await fetch(`${base}/audit?event=admin.recovered`, {
      headers: { authorization: `Bearer ${newKey}` },
    });
    expect(JSON.stringify(await audit.json())).toContain("admin.recovered");
  } finally {
    again.server.child.kill("SIGTERM");
    await again.server.exited;
  }
}, 90_000);

it("refuses without a vault (creating nothing) and with another master key", async () => {
  const empty = join(folder, "nothing-here");
  const missing = spawnAss(["server", "recover-admin", "--data-dir", empty]);
  expect(await missing.exited).toBe(1);
  expect(missing.stderr()).toMatch(/^ass: No master key/);
  expect(await readdir(folder)).toEqual([]);

  const dataDir = join(folder, "data");
  const first = await startVault(dataDir);
  first.server.child.kill("SIGTERM");
  await first.server.exited;
  const wrongKey = spawnAss(["server", "recover-admin", "--data-dir", dataDir], {
    ASS_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
  });
  expect(await wrongKey.exited).toBe(1);
  expect(wrongKey.stderr()).toMatch(/master key does not match/);
  expect(wrongKey.stdout()).not.toMatch(/ASS_ADMIN_KEY/);
}, 90_000);
