import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer as createNetServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MasterKeyMismatchError } from "../src/bootstrap.js";
import { RecoverAdminError, recoverAdmin } from "../src/recover-admin.js";
import { type RunningServer, startServer } from "../src/start-server.js";
import { startServerDatabase } from "./helpers/test-database.js";

// On the engine under test: SQLite in a data folder, or a fresh PostgreSQL schema.

let folder: string;
let servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers) await server.close();
  servers = [];
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function start(dataDir: string, database: Awaited<ReturnType<typeof startServerDatabase>>) {
  const server = await startServer({ port: 0, dataDir, logger: false, ...database });
  servers.push(server);
  return server;
}

const get = (server: RunningServer, path: string, key: string) =>
  fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });

describe("recoverAdmin", () => {
  it("makes a new operator key from the data and the master key, changes nothing else, and audits it", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-recover-"));
    const database = await startServerDatabase();
    const first = await start(folder, database);
    const { adminKey, agentKey } = first.firstStart ?? { adminKey: "", agentKey: "" };
    await first.close();

    const recovered = await recoverAdmin({ dataDir: folder, ...database });
    expect(recovered.adminKey).toMatch(/^ass_admin_/);

    const again = await start(folder, database);
    expect(again.firstStart).toBeNull();
    const admins = await get(again, "/admins", recovered.adminKey);
    expect(admins.status).toBe(200);
    expect(JSON.stringify(await admins.json())).toContain(recovered.adminId);
    expect((await get(again, "/admins", adminKey)).status).toBe(200);
    expect((await get(again, "/secrets", agentKey)).status).toBe(200);
    // The new key is the operator's: only the operator may create tenants.
    const tenant = await fetch(`${again.baseUrl}/tenants`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${recovered.adminKey}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "after-recovery" }),
    });
    expect(tenant.status).toBe(201);
    const audit = await (await get(again, "/audit?limit=100", recovered.adminKey)).text();
    expect(audit).toContain("admin.recovered");
    expect(audit).not.toContain(recovered.adminKey);
  });

  it("refuses another master key, and a vault that was never started", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-recover-"));
    const database = await startServerDatabase();
    await (await start(folder, database)).close();
    const otherKey = { ASS_MASTER_KEY: Buffer.alloc(32, 9).toString("base64") };
    await expect(
      recoverAdmin({ dataDir: folder, ...database, env: otherKey }),
    ).rejects.toBeInstanceOf(MasterKeyMismatchError);

    const empty = join(folder, "empty");
    await expect(recoverAdmin({ dataDir: empty, env: otherKey })).rejects.toBeInstanceOf(
      RecoverAdminError,
    );
    expect(await readdir(folder)).not.toContain("empty");
  });
});

describe("a first start on the engine under test", () => {
  it("on a busy port creates no keys; a retry on a free port does", async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-recover-"));
    const database = await startServerDatabase();
    const blocker: Server = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(
        startServer({ port, dataDir: folder, logger: false, ...database }),
      ).rejects.toThrow(/already in use/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const retry = await start(folder, database);
    expect(retry.firstStart?.adminKey).toMatch(/^ass_admin_/);
  });
});
