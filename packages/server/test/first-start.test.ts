import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createServer as createNetServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KeysFileExistsError } from "../src/first-start.js";
import { type RunningServer, StartServerError, startServer } from "../src/start-server.js";
import { startServerProcess } from "./helpers/server-process.js";

// About the data folder: runs on SQLite in both vitest projects.

let folder: string;
let servers: RunningServer[] = [];
let blockers: Server[] = [];
afterEach(async () => {
  for (const server of servers) await server.close();
  for (const blocker of blockers) await new Promise((resolve) => blocker.close(resolve));
  servers = [];
  blockers = [];
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function busyPort(): Promise<number> {
  const blocker = createNetServer();
  blockers.push(blocker);
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const address = blocker.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function start(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer({ logger: false, env: {}, ...options });
  servers.push(server);
  return server;
}

describe("a first start", () => {
  it("on a busy port fails with what to do and creates nothing; a retry on a free port makes the keys", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-first-start-"));
    const dataDir = join(folder, "data");
    const keysFile = join(folder, "keys.env");
    const port = await busyPort();
    const failed = start({ port, dataDir, keysFile });
    await expect(failed).rejects.toBeInstanceOf(StartServerError);
    await expect(failed).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use`);
    await expect(failed).rejects.toThrow(/--port, ASS_PORT/);
    expect(await readdir(folder)).toEqual([]);

    const server = await start({ port: 0, dataDir, keysFile });
    expect(server.firstStart?.adminKey).toMatch(/^ass_admin_/);
    expect((await stat(join(dataDir, "master.key"))).mode & 0o777).toBe(0o600);
    const health = await fetch(`${server.baseUrl}/health`);
    expect(health.status).toBe(200);
  });

  it("on a busy port in an existing data folder leaves no master key behind", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-first-start-"));
    await expect(start({ port: await busyPort(), dataDir: folder })).rejects.toThrow(
      /already in use/,
    );
    expect(await readdir(folder)).not.toContain("master.key");
    const server = await start({ port: 0, dataDir: folder });
    expect(server.firstStart).toMatchObject({ masterKeyCreated: true });
  });

  it("writes the keys to a 0600 keys file that the agent key in it opens", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-first-start-"));
    const keysFile = join(folder, "keys.env");
    const server = await start({ port: 0, dataDir: join(folder, "data"), keysFile });
    expect((await stat(keysFile)).mode & 0o777).toBe(0o600);
    const text = await readFile(keysFile, "utf8");
    expect(text).toContain(`ASS_BASE_URL=${server.baseUrl}\n`);
    expect(text).toContain(`ASS_ADMIN_KEY=${server.firstStart?.adminKey}\n`);
    const agentKey = /^ASS_AGENT_KEY=(.+)$/m.exec(text)?.[1];
    expect(agentKey).toBe(server.firstStart?.agentKey);
    const listing = await fetch(`${server.baseUrl}/secrets`, {
      headers: { authorization: `Bearer ${agentKey}` },
    });
    expect(listing.status).toBe(200);
  });

  it("refuses to overwrite an existing keys file and creates no keys; later starts ignore it", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-first-start-"));
    const keysFile = join(folder, "keys.env");
    const dataDir = join(folder, "data");
    await writeFile(keysFile, "ASS_ADMIN_KEY=earlier\n");
    const refused = start({ port: 0, dataDir, keysFile });
    await expect(refused).rejects.toBeInstanceOf(KeysFileExistsError);
    await expect(refused).rejects.toThrow(/refusing to overwrite/);
    expect(await readFile(keysFile, "utf8")).toBe("ASS_ADMIN_KEY=earlier\n");
    expect(await readdir(dataDir)).not.toContain("master.key");

    // Without the file the first start works; a restart naming the (now existing) file is fine.
    const first = await start({ port: 0, dataDir });
    expect(first.firstStart).not.toBeNull();
    await first.close();
    const again = await start({ port: 0, dataDir, keysFile });
    expect(again.firstStart).toBeNull();
    expect(await readFile(keysFile, "utf8")).toBe("ASS_ADMIN_KEY=earlier\n");
  });
});

describe("a data folder whose master.key has gone", () => {
  it("is refused with what to do, and its database is left as it was", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-first-start-"));
    const first = await start({ port: 0, dataDir: folder });
    const agentKey = first.firstStart?.agentKey ?? "";
    await first.close();
    const keyFile = join(folder, "master.key");
    const kept = join(folder, "master.key.kept");
    await rename(keyFile, kept);
    const database = await readFile(join(folder, "vault.db"));

    await expect(start({ port: 0, dataDir: folder })).rejects.toThrow(
      /does not match this vault's keyring.*ASS_MASTER_KEY or restore its master.key/,
    );
    expect(await readFile(join(folder, "vault.db"))).toEqual(database);

    await rm(keyFile, { force: true });
    await rename(kept, keyFile);
    const again = await start({ port: 0, dataDir: folder });
    expect(again.firstStart).toBeNull();
    const listing = await fetch(`${again.baseUrl}/secrets`, {
      headers: { authorization: `Bearer ${agentKey}` },
    });
    expect(listing.status).toBe(200);
  });
});

describe("two first starts on one data folder at once", () => {
  it("agree on one master key: one makes the keys, the other serves them", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-first-start-"));
    const dataDir = join(folder, "data");
    const [one, two] = await Promise.all([
      startServerProcess(dataDir, { port: 0, env: {} }),
      startServerProcess(dataDir, { port: 0, env: {} }),
    ]);
    try {
      const made = [one, two].filter((server) => server.agentKey !== null);
      expect(made).toHaveLength(1);
      const agentKey = made[0]?.agentKey ?? "";
      for (const server of [one, two]) {
        const listing = await fetch(`${server.baseUrl}/secrets`, {
          headers: { authorization: `Bearer ${agentKey}` },
        });
        expect(listing.status).toBe(200);
      }
    } finally {
      await one.stop();
      await two.stop();
    }
  }, 60_000);
});
