import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { eventually, parseDotenv } from "./capture-io.js";
import { spawnAss } from "./spawn-ass.js";

let folder: string;
let blocker: Server | undefined;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "ass-cli-first-start-"));
});
afterEach(async () => {
  if (blocker) await new Promise((resolve) => blocker?.close(resolve));
  blocker = undefined;
  await rm(folder, { recursive: true, force: true });
});

async function busyPort(): Promise<number> {
  const server = createServer();
  blocker = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

it("a first start on a busy port fails clearly and creates nothing; a retry prints the keys and writes the 0600 keys file", async () => {
  const dataDir = join(folder, "data");
  const keysFile = join(folder, "keys.env");
  const port = await busyPort();
  const failed = spawnAss([
    "server",
    "--port",
    String(port),
    "--data-dir",
    dataDir,
    "--keys-file",
    keysFile,
  ]);
  expect(await failed.exited).not.toBe(0);
  expect(failed.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  expect(failed.stderr()).toContain("Nothing was created");
  expect(failed.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  expect(failed.stdout()).not.toMatch(/ASS_ADMIN_KEY/);
  expect(await readdir(folder)).toEqual([]);

  const retry = spawnAss(["server", "--port", "0", "--data-dir", dataDir, "--keys-file", keysFile]);
  const printed = await eventually(() => {
    const lines = parseDotenv(retry.stdout());
    return lines.ASS_AGENT_KEY ? lines : undefined;
  }, 30_000);
  expect((await stat(keysFile)).mode & 0o777).toBe(0o600);
  expect(parseDotenv(await readFile(keysFile, "utf8"))).toEqual(printed);
  const health = await fetch(`${printed.ASS_BASE_URL}/health`);
  expect(health.status).toBe(200);
  retry.child.kill("SIGTERM");
  expect(await retry.exited).toBe(0);
}, 60_000);
