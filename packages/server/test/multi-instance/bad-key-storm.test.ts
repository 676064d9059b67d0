// Two server processes sharing one PostgreSQL database and one Redis for their rate limits, as
// behind a load balancer, under a bad-key storm from one address (PostgreSQL-only, like the rest
// of this folder).
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { callJson, type ServerProcess, startServerProcess } from "../helpers/server-process.js";
import { createTestSchema } from "../helpers/test-database.js";

const BAD_KEY = "ass_live_0000000000000000000000000000000000000000";

const folders: string[] = [];
const processes: ServerProcess[] = [];
afterAll(async () => {
  for (const server of processes.splice(0)) await server.stop();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function statusOf(url: string, credential: string): Promise<number> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${credential}` } });
  await response.arrayBuffer();
  return response.status;
}

describe("a bad-key storm from one address on two instances sharing Redis", () => {
  it("spends one shared failed-auth budget while a good key keeps reading on both", async () => {
    const { url } = await createTestSchema();
    const options = {
      databaseUrl: url,
      env: {
        ASS_MASTER_KEY: randomBytes(32).toString("base64"),
        REDIS_URL: "redis://127.0.0.1:6379",
      },
      // The default budgets, under a prefix of this test's own.
      rateLimits: { keyPrefix: `ass-test-${randomUUID()}` },
    };
    const folder = await mkdtemp(join(tmpdir(), "ass-storm-"));
    folders.push(folder);
    const first = await startServerProcess(join(folder, "a"), options);
    processes.push(first);
    const second = await startServerProcess(join(folder, "b"), options);
    processes.push(second);
    const agentKey = first.agentKey ?? "";
    const written = await callJson("PUT", `${first.baseUrl}/secrets/boot/config`, agentKey, {
      value: "canary-value-storm",
    });
    expect(written.status).toBeLessThan(300);
    const instances = [first, second];

    let storming = true;
    const bad: number[] = [];
    const storm = Promise.all(
      Array.from({ length: 4 }, async (_, worker) => {
        for (let round = 0; storming; round++) {
          const target = instances[(worker + round) % 2] as ServerProcess;
          bad.push(await statusOf(`${target.baseUrl}/me`, BAD_KEY));
        }
      }),
    );
    const good: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async (_, worker) => {
        for (let round = 0; round < 50; round++) {
          const target = instances[(worker + round) % 2] as ServerProcess;
          good.push(await statusOf(`${target.baseUrl}/secrets/boot/config`, agentKey));
        }
      }),
    );
    const goodMs = performance.now() - started;
    storming = false;
    await storm;

    expect(good.filter((code) => code !== 200)).toEqual([]);
    expect(good).toHaveLength(200);
    // Ten failures a minute for the address across both instances, then 429 for the rest.
    expect(bad.filter((code) => code === 401)).toHaveLength(10);
    expect(bad.filter((code) => code !== 401 && code !== 429)).toEqual([]);
    expect(bad.length).toBeGreaterThan(30);
    console.info(
      `two instances: 200 good reads in ${Math.round(goodMs)} ms during ${bad.length} bad requests`,
    );
    // Two server processes start (tsx) and serve 200 reads beside the storm: over a minute on a
    // busy two-core machine.
  }, 180_000);
});
