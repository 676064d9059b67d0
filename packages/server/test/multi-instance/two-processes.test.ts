// Two server processes on one PostgreSQL database, as behind a load balancer. PostgreSQL-only by
// nature (SQLite is one instance's database), so this folder runs once, in the "server" project,
// whatever ASS_TEST_DATABASE says (vitest.postgres.config.ts leaves it out).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  callJson,
  metricValue,
  type ServerProcess,
  startServerProcess,
} from "../helpers/server-process.js";
import { createTestSchema } from "../helpers/test-database.js";
import { UNTHROTTLED } from "../helpers/test-server.js";

type Pair = { first: ServerProcess; second: ServerProcess; adminKey: string; agentKey: string };

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** The metrics token both instances of a pair take from ASS_METRICS_TOKEN. */
const PAIR_METRICS = "metrics-token-of-the-pair";

/**
 * Starts two instances at once on a new, empty schema with one shared master key: exactly one of
 * them may create the first keys.
 */
async function startPair(approvals: { recheckIntervalSeconds?: number } = {}): Promise<Pair> {
  const { url } = await createTestSchema();
  const options = {
    databaseUrl: url,
    env: { ASS_MASTER_KEY: randomBytes(32).toString("base64"), ASS_METRICS_TOKEN: PAIR_METRICS },
    rateLimits: UNTHROTTLED,
    approvals,
  };
  const folder = await mkdtemp(join(tmpdir(), "ass-pair-"));
  folders.push(folder);
  const [first, second] = await Promise.all([
    startServerProcess(join(folder, "a"), options),
    startServerProcess(join(folder, "b"), options),
  ]);
  const keys = [first, second].filter((server) => server.adminKey !== null);
  expect(keys).toHaveLength(1);
  return {
    first,
    second,
    adminKey: keys[0]?.adminKey ?? "",
    agentKey: keys[0]?.agentKey ?? "",
  };
}

async function scrape(server: ServerProcess): Promise<string> {
  const response = await fetch(`${new URL(server.baseUrl).origin}/metrics`, {
    headers: { authorization: `Bearer ${PAIR_METRICS}` },
  });
  expect(response.status).toBe(200);
  return response.text();
}

describe("two server processes on one PostgreSQL database", () => {
  let pair: Pair;
  // Long-polls re-read only every 120 s here, and wait up to 60 s: a waiter answers within the
  // test's 30 s only if the decision's notification reaches it from the other process.
  beforeAll(async () => {
    pair = await startPair({ recheckIntervalSeconds: 120 });
  }, 60_000);
  afterAll(async () => {
    await pair?.first.stop();
    await pair?.second.stop();
  });

  it("gives exactly 3 successes to 100 parallel uses of a max_uses: 3 token spread over both, and both count them in /metrics", async () => {
    const { first, second, agentKey } = pair;
    const put = await callJson("PUT", `${first.baseUrl}/secrets/race/key`, agentKey, {
      value: "canary-value-race-7d21",
    });
    expect(put.status).toBe(201);
    const issued = await callJson("POST", `${second.baseUrl}/tokens`, agentKey, {
      scope: "secrets:read:race/*",
      max_uses: 3,
    });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;
    const before = (await scrape(first)) + (await scrape(second));

    const statuses = await Promise.all(
      Array.from({ length: 100 }, async (_, index) => {
        const server = index % 2 === 0 ? first : second;
        return (await callJson("GET", `${server.baseUrl}/secrets/race/key`, token)).status;
      }),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 401)).toHaveLength(97);

    const after = (await scrape(first)) + (await scrape(second));
    const consumed = (text: string) =>
      metricValue(text, "ass_token_uses_total", { outcome: "consumed" });
    expect(consumed(after) - consumed(before)).toBe(3);
    const answered = (text: string, status: string) =>
      metricValue(text, "ass_http_requests_total", {
        method: "GET",
        route: "/v1/secrets/*",
        status_code: status,
      });
    expect(answered(after, "200") - answered(before, "200")).toBe(3);
    expect(answered(after, "401") - answered(before, "401")).toBe(97);
    expect(after).toContain("ass_http_request_duration_seconds_bucket{");
  });

  it("wakes a long-poll on one instance when the request is approved on the other, and both report it pending until then", async () => {
    const { first, second, agentKey, adminKey } = pair;
    await callJson("PUT", `${first.baseUrl}/secrets/wake/key`, agentKey, {
      value: "canary-value-wake-43aa",
      tier: "sensitive",
    });
    const issued = await callJson("POST", `${first.baseUrl}/tokens`, agentKey, {
      scope: "secrets:read:wake/*",
    });
    expect(issued.status).toBe(202);
    const token = issued.body.token as string;
    const approvalId = issued.body.approval_request_id as string;
    for (const server of [first, second]) {
      expect(
        metricValue(await scrape(server), "ass_approvals_pending", { tier: "sensitive" }),
      ).toBeGreaterThanOrEqual(1);
    }

    const waiting = callJson("GET", `${second.baseUrl}/approvals/${approvalId}?wait=60`, token);
    // Approve only once the waiter holds its long-poll on the second instance.
    while (metricValue(await scrape(second), "ass_approval_long_polls") < 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const approved = await callJson(
      "POST",
      `${first.baseUrl}/approvals/${approvalId}/approve`,
      adminKey,
      { comment: "ok" },
    );
    expect(approved.status).toBe(200);
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe("approved");
    expect((await callJson("GET", `${second.baseUrl}/secrets/wake/key`, token)).status).toBe(200);
  }, 30_000);

  it("stops an agent key rotated on one instance on the other at once, though a hot read cached it there", async () => {
    const { first, second, adminKey } = pair;
    const created = await callJson("POST", `${first.baseUrl}/agents`, adminKey, {
      name: "rotated-across",
      allowed_scopes: ["secrets:*:across/*"],
    });
    expect(created.status).toBe(201);
    const oldKey = created.body.api_key as string;
    const agentId = created.body.agent_id as string;
    expect(
      (await callJson("PUT", `${first.baseUrl}/secrets/across/key`, oldKey, { value: "v-across" }))
        .status,
    ).toBe(201);
    // Read twice on the second instance: the key is in its principal cache now.
    for (let read = 0; read < 2; read += 1) {
      expect((await callJson("GET", `${second.baseUrl}/secrets/across/key`, oldKey)).status).toBe(
        200,
      );
    }
    const rotated = await callJson(
      "POST",
      `${first.baseUrl}/agents/${agentId}/rotate-key`,
      adminKey,
      {},
    );
    expect(rotated.status).toBe(200);
    expect((await callJson("GET", `${second.baseUrl}/secrets/across/key`, oldKey)).status).toBe(
      401,
    );
    const newKey = rotated.body.api_key as string;
    expect((await callJson("GET", `${second.baseUrl}/secrets/across/key`, newKey)).status).toBe(
      200,
    );
  });

  it("lets an approval of a critical request count once per admin, whichever instance each uses", async () => {
    const { first, second, agentKey, adminKey } = pair;
    const other = await callJson("POST", `${first.baseUrl}/admins`, adminKey, { name: "second" });
    const secondAdmin = other.body.api_key as string;
    await callJson("PUT", `${first.baseUrl}/secrets/two/key`, agentKey, {
      value: "canary-value-two-5e0c",
      tier: "critical",
    });
    const issued = await callJson("POST", `${first.baseUrl}/tokens`, agentKey, {
      scope: "secrets:read:two/*",
    });
    const approvalId = issued.body.approval_request_id as string;
    // Both admins at once, each on a different instance; then the first admin again on the other.
    const decisions = await Promise.all([
      callJson("POST", `${first.baseUrl}/approvals/${approvalId}/approve`, adminKey, {}),
      callJson("POST", `${second.baseUrl}/approvals/${approvalId}/approve`, secondAdmin, {}),
    ]);
    expect(decisions.map((decision) => decision.status)).toEqual([200, 200]);
    const again = await callJson(
      "POST",
      `${second.baseUrl}/approvals/${approvalId}/approve`,
      adminKey,
      {},
    );
    expect(again.status).toBe(409);
    const view = await callJson("GET", `${second.baseUrl}/approvals/${approvalId}`, adminKey);
    expect(view.body.approvals).toHaveLength(2);
    expect(view.body.eligible_at).toEqual(expect.any(String));
  });
});

describe("kill -9 of one of two instances under a burst of writes", () => {
  let pair: Pair | undefined;
  afterEach(async () => {
    pair?.first.child.kill("SIGKILL");
    await pair?.second.stop();
    pair = undefined;
  });

  it("loses no acknowledged write, the other instance keeps serving, and the audit chain verifies", async () => {
    pair = await startPair();
    const { first, second, agentKey, adminKey } = pair;
    const acknowledged = new Map<string, string>();
    const failuresOnSecond: string[] = [];
    let killed = false;
    let ackedBySecondAfterKill = 0;

    const writer = async (worker: number, server: ServerProcess) => {
      for (let index = 0; ; index += 1) {
        if (server === second && killed && ackedBySecondAfterKill >= 100) return;
        const path = `burst/w${worker}/k${index}`;
        const value = `canary-value-burst-${worker}-${index}`;
        try {
          const { status } = await callJson("PUT", `${server.baseUrl}/secrets/${path}`, agentKey, {
            value,
          });
          if (status === 201) {
            acknowledged.set(path, value);
            if (server === second && killed) ackedBySecondAfterKill += 1;
          } else if (server === second) {
            failuresOnSecond.push(`${path}: ${status}`);
          }
        } catch {
          if (server === second) failuresOnSecond.push(`${path}: connection failed`);
          else return; // the first instance died under this request
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, worker) =>
      writer(worker, worker % 2 === 0 ? first : second),
    );
    while (acknowledged.size < 150) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill("SIGKILL");
    killed = true;
    await Promise.all(writers);

    expect(failuresOnSecond).toEqual([]);
    expect(ackedBySecondAfterKill).toBeGreaterThanOrEqual(100);
    for (const [path, value] of acknowledged) {
      const read = await callJson("GET", `${second.baseUrl}/secrets/${path}`, agentKey);
      expect(read.status, path).toBe(200);
      expect(read.body.value).toBe(value);
    }
    const verify = await callJson("GET", `${second.baseUrl}/audit/verify`, adminKey);
    expect(verify.body).toMatchObject({ ok: true });
    expect(await second.stop()).toBe(0);
  }, 90_000);
});
