import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  disableQueryCounting,
  enableQueryCounting,
  queriesExecuted,
} from "../src/db/query-counter.js";
import { createAdmin, decide } from "./helpers/approvals.js";
import { bodyOf } from "./helpers/body-of.js";
import { metricValue } from "./helpers/server-process.js";
import {
  bearer,
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

// Before any database of this file is opened: counts every statement the server sends.
enableQueryCounting();
afterAll(disableQueryCounting);

let server: TestServer | undefined;
let origin = "";
const aborts: AbortController[] = [];
afterEach(async () => {
  for (const abort of aborts.splice(0)) abort.abort();
  await server?.app.close();
  server = undefined;
});

async function listening(overrides: Parameters<typeof createTestServer>[0]): Promise<TestServer> {
  server = await createTestServer(overrides);
  await server.app.listen({ host: "127.0.0.1", port: 0 });
  const address = server.app.server.address() as { port: number };
  origin = `http://127.0.0.1:${address.port}`;
  return server;
}

/** An agent's read token waiting for a person: its approval request id and the token. */
async function pendingRequest(test: TestServer) {
  await putSecret(test, test.agentKey, "prod/key", {
    value: "canary-value-caps",
    tier: "sensitive",
  });
  const issued = await requestToken(test, test.agentKey, { scope: "secrets:read:prod/*" });
  expect(issued.statusCode).toBe(202);
  return { token: issued.body.token, approvalId: issued.body.approval_request_id as string };
}

/** `GET /v1/approvals/{id}?wait=` over the socket; the answer, or the hang-up. */
function longPoll(credential: string, approvalId: string, wait = 30): Promise<Response> {
  const abort = new AbortController();
  aborts.push(abort);
  return fetch(`${origin}/v1/approvals/${approvalId}?wait=${wait}`, {
    headers: bearer(credential),
    signal: abort.signal,
  });
}

/** The long-polls waiting on the server, as /metrics shows them. */
async function waiting(test: TestServer): Promise<number> {
  const response = await fetch(`${origin}/metrics`, { headers: bearer(test.metricsToken) });
  return metricValue(await response.text(), "ass_approval_long_polls");
}

async function untilWaiting(test: TestServer, count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if ((await waiting(test)) === count) return;
    await sleep(10);
  }
  throw new Error(`never ${count} long-polls waiting (now ${await waiting(test)})`);
}

describe("long-poll caps (GET /v1/approvals/{id}?wait=)", () => {
  it("refuse a credential's long-poll past its share with 429 and the instance's past all with 503, both with Retry-After; the waiters are still woken by a decision", async () => {
    const test = await listening({
      limits: { maxLongPolls: 3, maxLongPollsPerCredential: 2 },
      metrics: { processMetrics: false },
    });
    const { token, approvalId } = await pendingRequest(test);
    const agentWaits = [longPoll(test.agentKey, approvalId), longPoll(test.agentKey, approvalId)];
    await untilWaiting(test, 2);

    const third = await longPoll(test.agentKey, approvalId);
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("5");
    const refused = await bodyOf(third);
    expect(refused.error).toMatchObject({ code: "RATE_LIMITED", retry_after: 5 });
    expect(refused.error.message).toContain("limits.max_long_polls_per_credential");
    // The agent's pending token is of its family: the same share, not a new one.
    expect((await longPoll(token, approvalId)).status).toBe(429);
    // Without ?wait= nothing waits, so nothing is capped.
    const plain = await fetch(`${origin}/v1/approvals/${approvalId}`, {
      headers: bearer(test.agentKey),
    });
    expect(plain.status).toBe(200);

    const adminWait = longPoll(test.adminKey, approvalId);
    await untilWaiting(test, 3);
    const approver = await createAdmin(test, "second-approver");
    const full = await longPoll(approver.adminKey, approvalId);
    expect(full.status).toBe(503);
    expect(full.headers.get("retry-after")).toBe("5");
    const busy = await bodyOf(full);
    expect(busy.error).toMatchObject({ code: "RATE_LIMITED", retry_after: 5 });
    expect(busy.error.message).toContain("limits.max_long_polls");

    expect((await decide(test, approver.adminKey, approvalId, "approve")).statusCode).toBe(200);
    for (const answer of await Promise.all([...agentWaits, adminWait])) {
      expect(answer.status).toBe(200);
      expect((await bodyOf(answer)).status).toBe("approved");
    }
    expect(await waiting(test)).toBe(0);
  });

  it("give a hung-up waiter's place back at once", async () => {
    const test = await listening({
      limits: { maxLongPollsPerCredential: 1 },
      metrics: { processMetrics: false },
    });
    const { approvalId } = await pendingRequest(test);
    const first = longPoll(test.agentKey, approvalId).catch(() => "hung up");
    await untilWaiting(test, 1);
    expect((await longPoll(test.agentKey, approvalId)).status).toBe(429);
    aborts[0]?.abort();
    expect(await first).toBe("hung up");
    await untilWaiting(test, 0);
    const again = await longPoll(test.agentKey, approvalId, 1);
    expect(again.status).toBe(200);
    expect((await bodyOf(again)).status).toBe("pending");
  });

  it("cost no database work while idle: 20 waiters re-read nothing until a decision wakes them", async () => {
    const test = await listening({
      // Re-reads every 100 ms if the change feed were not trusted: 200 statements a second here.
      approvals: { recheckIntervalSeconds: 0.1 },
      metrics: { processMetrics: false },
      // What is measured is the waiters' work: the webhook outbox's own look for due events
      // (once a second by default) is moved out of the measured second.
      webhooks: { pollIntervalMs: 3_600_000 },
    });
    const { approvalId } = await pendingRequest(test);
    const waits = Array.from({ length: 20 }, () => longPoll(test.agentKey, approvalId));
    await untilWaiting(test, 20);
    const before = queriesExecuted();
    await sleep(1000);
    expect(queriesExecuted() - before).toBe(0);
    expect((await decide(test, test.adminKey, approvalId, "approve")).statusCode).toBe(200);
    for (const answer of await Promise.all(waits)) {
      expect((await bodyOf(answer)).status).toBe("approved");
    }
  });
});
