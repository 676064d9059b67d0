// A use-limited parent's budget shared by children minted on two server processes at once (one
// PostgreSQL database): the children's uses are reserved exactly, whichever instance mints them.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { callJson, type ServerProcess, startServerProcess } from "../helpers/server-process.js";
import { createTestSchema } from "../helpers/test-database.js";
import { UNTHROTTLED } from "../helpers/test-server.js";

const folders: string[] = [];
const processes: ServerProcess[] = [];
afterAll(async () => {
  for (const server of processes.splice(0)) await server.stop();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe("children of one use-limited parent minted on two instances at once", () => {
  it("take exactly what the parent has: 3 children of 2 uses from a max_uses 10 parent", async () => {
    const { url } = await createTestSchema();
    const options = {
      databaseUrl: url,
      env: { ASS_MASTER_KEY: randomBytes(32).toString("base64") },
      rateLimits: UNTHROTTLED,
    };
    const folder = await mkdtemp(join(tmpdir(), "ass-uses-"));
    folders.push(folder);
    const first = await startServerProcess(join(folder, "a"), options);
    processes.push(first);
    const second = await startServerProcess(join(folder, "b"), options);
    processes.push(second);
    const agentKey = first.agentKey ?? "";
    const scope = "secrets:read:race/*";
    const written = await callJson("PUT", `${first.baseUrl}/secrets/race/key`, agentKey, {
      value: "canary-value-race",
    });
    expect(written.status).toBeLessThan(300);
    const parent = await callJson("POST", `${first.baseUrl}/tokens`, agentKey, {
      scope,
      max_uses: 10,
    });
    expect(parent.status).toBe(201);
    const parentToken = parent.body.token as string;

    const minted = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        callJson("POST", `${(index % 2 === 0 ? first : second).baseUrl}/tokens`, parentToken, {
          scope,
          max_uses: 2,
        }),
      ),
    );
    const children = minted.filter((answer) => answer.status === 201);
    expect(children).toHaveLength(3);
    for (const refused of minted.filter((answer) => answer.status !== 201)) {
      expect([401, 403]).toContain(refused.status);
    }
    // One use is left for the parent, two for each child, whichever instance reads.
    let reads = 0;
    for (const credential of [
      parentToken,
      ...children.map((child) => child.body.token as string),
    ]) {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const target = attempt % 2 === 0 ? second : first;
        const answer = await callJson("GET", `${target.baseUrl}/secrets/race/key`, credential);
        if (answer.status === 200) reads += 1;
      }
    }
    expect(reads).toBe(1 + 3 * 2);
  }, 60_000);
});
