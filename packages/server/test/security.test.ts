import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/start-server.js";
import { dumpPostgresSchema, startServerDatabase, TEST_ENGINE } from "./helpers/test-database.js";
import { UNTHROTTLED } from "./helpers/test-server.js";

const CANARY_VALUE = "canary-value-3c9d1e7a-never-at-rest";

let server: RunningServer | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  server = undefined;
  dataDir = undefined;
});

async function call(method: string, url: string, credential: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${credential}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => null)) as Record<string, unknown>,
  };
}

/**
 * What is stored: on SQLite every file of the data folder (vault.db, -wal, -shm, …), on
 * PostgreSQL every row of every table of the vault's schema; one buffer per file or table.
 */
async function storedData(folder: string, databaseUrl: string | undefined) {
  return databaseUrl === undefined ? dataFiles(folder) : dumpPostgresSchema(databaseUrl);
}

/** Every file of the data folder (vault.db, -wal, -shm, …) as one buffer per file. */
async function dataFiles(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of await readdir(folder)) {
    if (name.startsWith("vault.db")) files.set(name, await readFile(join(folder, name)));
  }
  return files;
}

function expectAbsent(files: Map<string, Buffer>, needles: string[]): void {
  for (const [name, content] of files) {
    for (const needle of needles) {
      expect(
        content.includes(Buffer.from(needle, "utf8")),
        `${needle.slice(0, 16)}… in ${name}`,
      ).toBe(false);
      expect(
        content.includes(Buffer.from(needle, "utf16le")),
        `${needle.slice(0, 16)}… (UTF-16) in ${name}`,
      ).toBe(false);
    }
  }
}

describe("nothing readable at rest or in logs", () => {
  it("keeps a canary value, a canary token and the keys out of the stored data (vault.db, its WAL and SHM; or every PostgreSQL row) and the logs", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "ass-canary-"));
    let logs = "";
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logs += String(chunk);
        done();
      },
    });
    const database = await startServerDatabase();
    server = await startServer({
      port: 0,
      dataDir,
      ...database,
      logger: { level: "trace", stream },
    });
    const { agentKey = "", adminKey = "" } = server.firstStart ?? {};
    const base = server.baseUrl;
    expect(
      (await call("PUT", `${base}/secrets/canary/one`, agentKey, { value: CANARY_VALUE })).status,
    ).toBe(201);
    await call("PUT", `${base}/secrets/canary/one`, agentKey, {
      value: `${CANARY_VALUE}-v2`,
      tier: "standard",
    });
    await call("POST", `${base}/secrets/canary/one/rotate`, agentKey, {
      new_value: `${CANARY_VALUE}-v3`,
      grace_period_seconds: 60,
    });
    await call("POST", `${base}/secrets/import`, agentKey, {
      namespace: "canary",
      content: `IMPORTED=${CANARY_VALUE}-env`,
    });
    const issued = await call("POST", `${base}/tokens`, agentKey, {
      scope: "secrets:read:canary/*",
      max_uses: 5,
    });
    const token = issued.body.token as string;
    const read = await call("GET", `${base}/secrets/canary/one?version=1`, token);
    expect(read.body.value).toBe(CANARY_VALUE);
    await call("GET", `${base}/secrets/canary/one`, agentKey);
    await call("PUT", `${base}/secrets/canary/bad`, agentKey, { value: CANARY_VALUE, teir: "x" });
    await call("GET", `${base}/audit`, adminKey);

    const needles = [CANARY_VALUE, token, agentKey, adminKey];
    // While running: the WAL holds the recent pages.
    const running = await storedData(dataDir, database.databaseUrl);
    const expected =
      TEST_ENGINE === "sqlite" ? ["vault.db", "vault.db-wal"] : ["secret_versions", "tokens"];
    expect([...running.keys()]).toEqual(expect.arrayContaining(expected));
    expectAbsent(running, needles);
    await server.close();
    server = undefined;
    expectAbsent(await storedData(dataDir, database.databaseUrl), needles);
    expect(logs).toContain("request completed");
    for (const needle of needles)
      expect(logs.includes(needle), `${needle.slice(0, 16)}… in logs`).toBe(false);
  });
});

describe("max_uses under a race over a real socket", () => {
  it("lets exactly one of 50 parallel reads succeed with a max_uses: 1 token", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "ass-race-"));
    // 49 refusals of a used-up token are 49 failed authentications from one address: more than
    // the default budget of 10 a minute, which would answer some with 429 instead of 401.
    server = await startServer({
      port: 0,
      dataDir,
      ...(await startServerDatabase()),
      logger: false,
      rateLimits: UNTHROTTLED,
    });
    const agentKey = server.firstStart?.agentKey ?? "";
    await call("PUT", `${server.baseUrl}/secrets/race/key`, agentKey, { value: CANARY_VALUE });
    const issued = await call("POST", `${server.baseUrl}/tokens`, agentKey, {
      scope: "secrets:read:race/*",
      max_uses: 1,
    });
    const token = issued.body.token as string;
    const url = `${server.baseUrl}/secrets/race/key`;
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async () => (await call("GET", url, token)).status),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 401)).toHaveLength(49);
  });
});
