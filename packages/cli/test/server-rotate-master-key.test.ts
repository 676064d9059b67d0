import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { eventually, parseDotenv } from "./capture-io.js";
import { spawnAss } from "./spawn-ass.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "ass-cli-rotate-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

it("ass server rotate-master-key rotates beside the running server, which keeps serving; afterwards the server starts on the new key, every key still works", async () => {
  const dataDir = join(folder, "data");
  const server = spawnAss(["server", "--port", "0", "--data-dir", dataDir]);
  let restarted: ReturnType<typeof spawnAss> | undefined;
  try {
    const keys = await eventually(() => {
      const lines = parseDotenv(server.stdout());
      return lines.ASS_BASE_URL ? lines : undefined;
    }, 30_000);
    const base = keys.ASS_BASE_URL;
    const agent = {
      authorization: `Bearer ${keys.ASS_AGENT_KEY}`,
      "content-type": "application/json",
    };
    const put = await fetch(`${base}/secrets/app/key`, {
      method: "PUT",
      headers: agent,
      body: JSON.stringify({ value: "canary-value-rotate" }),
    });
    expect(put.status).toBe(201);
    const oldKey = await readFile(join(dataDir, "master.key"), "utf8");

    const rotation = spawnAss(["server", "rotate-master-key", "--data-dir", dataDir]);
    expect(await rotation.exited).toBe(0);
    expect(rotation.stdout()).toMatch(
      /^Rotated the master key: [0-9a-f]{16} → [0-9a-f]{16}, 1 values re-wrapped\./,
    );
    expect(rotation.stdout()).toContain("The old key is retired");
    const newKey = await readFile(join(dataDir, "master.key"), "utf8");
    expect(newKey).not.toBe(oldKey);
    expect(rotation.stdout() + rotation.stderr()).not.toContain(newKey.trim());
    expect(rotation.stdout() + rotation.stderr()).not.toContain(oldKey.trim());

    const read = await fetch(`${base}/secrets/app/key`, { headers: agent });
    expect(((await read.json()) as { value: string }).value).toBe("canary-value-rotate");
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);

    restarted = spawnAss(["server", "--port", "0", "--data-dir", dataDir]);
    const again = await eventually(() => {
      const lines = parseDotenv(restarted?.stdout() ?? "");
      return lines.ASS_BASE_URL ? lines : undefined;
    }, 30_000);
    const after = await fetch(`${again.ASS_BASE_URL}/secrets/app/key`, { headers: agent });
    expect(((await after.json()) as { value: string }).value).toBe("canary-value-rotate");
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    restarted?.child.kill("SIGTERM");
    if (restarted) await restarted.exited;
  }
}, 120_000);

it("an instance paused through the whole rotation answers 503 once resumed, and ass status says why", async () => {
  const dataDir = join(folder, "data");
  const server = spawnAss(["server", "--port", "0", "--data-dir", dataDir]);
  try {
    const keys = await eventually(() => {
      const lines = parseDotenv(server.stdout());
      return lines.ASS_BASE_URL ? lines : undefined;
    }, 30_000);
    const base = keys.ASS_BASE_URL ?? "";
    const agent = { authorization: `Bearer ${keys.ASS_AGENT_KEY}` };
    const put = await fetch(`${base}/secrets/app/key`, {
      method: "PUT",
      headers: { ...agent, "content-type": "application/json" },
      body: JSON.stringify({ value: "canary-value-paused" }),
    });
    expect(put.status).toBe(201);
    const env = { ASS_BASE_URL: base, ASS_AGENT_KEY: keys.ASS_AGENT_KEY };
    const before = spawnAss(["status"], env);
    expect(await before.exited).toBe(0);

    // Stopped (a frozen VM, a debugger) while the rotation bridges, re-wraps and retires.
    server.child.kill("SIGSTOP");
    const rotation = spawnAss(["server", "rotate-master-key", "--data-dir", dataDir]);
    expect(await rotation.exited).toBe(0);
    server.child.kill("SIGCONT");

    const read = await fetch(`${base}/secrets/app/key`, { headers: agent });
    expect(read.status).toBe(503);
    expect(((await read.json()) as { error: { code: string } }).error.code).toBe("UNAVAILABLE");
    const status = spawnAss(["status"], env);
    expect(await status.exited).toBe(1);
    expect(status.stdout()).toContain("unavailable");
    expect(status.stderr()).toContain("does not hold the vault's current master key");
    expect(status.stdout() + status.stderr()).not.toContain("canary-value");
  } finally {
    server.child.kill("SIGCONT");
    server.child.kill("SIGTERM");
    await server.exited;
  }
}, 120_000);
