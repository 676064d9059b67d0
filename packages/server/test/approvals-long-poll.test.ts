import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ApprovalChange,
  type ApprovalEvents,
  createInProcessApprovalEvents,
} from "../src/approvals/approval-events.js";
import { createServer } from "../src/create-server.js";
import { createAdmin, decide } from "./helpers/approvals.js";
import { freshDatabaseConfig } from "./helpers/test-database.js";
import {
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
  UNTHROTTLED,
} from "./helpers/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** The in-process events, recording what was published and how many wait. */
function recordingEvents() {
  const inner = createInProcessApprovalEvents();
  const published: ApprovalChange[] = [];
  let waiting = 0;
  const events: ApprovalEvents = {
    publish(change) {
      published.push(change);
      inner.publish(change);
    },
    subscribe(tenantId, approvalId, listener) {
      waiting += 1;
      const unsubscribe = inner.subscribe(tenantId, approvalId, listener);
      return () => {
        waiting -= 1;
        unsubscribe();
      };
    },
  };
  return { events, published, waiting: () => waiting };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function pendingRequest(test: TestServer, tier: "sensitive" | "critical") {
  await putSecret(test, test.agentKey, "prod/key", { value: "canary-value-poll", tier });
  const issued = await requestToken(test, test.agentKey, { scope: "secrets:read:prod/*" });
  return { token: issued.body.token, approvalId: issued.body.approval_request_id as string };
}

describe("GET /v1/approvals/{id}?wait=", () => {
  it("answers a waiting request with the decision as soon as it lands", async () => {
    const recorder = recordingEvents();
    server = await createTestServer({ approvals: { events: recorder.events } });
    const { token, approvalId } = await pendingRequest(server, "sensitive");

    const waiting = getWith(server, token, `/v1/approvals/${approvalId}?wait=60`);
    await until(() => recorder.waiting() === 1);
    expect((await decide(server, server.adminKey, approvalId, "approve")).statusCode).toBe(200);

    const answered = await waiting;
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ id: approvalId, status: "approved" });
    expect(recorder.published).toContainEqual(
      expect.objectContaining({ approvalId, status: "approved" }),
    );
    expect(recorder.waiting()).toBe(0);
    // Polling its own request used none of the token.
    expect((await getWith(server, token, "/v1/tokens/self")).json().uses).toBe(0);
  });

  it("answers at once when the request is already decided", async () => {
    server = await createTestServer();
    const { approvalId } = await pendingRequest(server, "sensitive");
    await decide(server, server.adminKey, approvalId, "deny");
    const answered = await getWith(server, server.adminKey, `/v1/approvals/${approvalId}?wait=60`);
    expect(answered.json().status).toBe("denied");
  });

  it("ends a waiting request when the server closes", async () => {
    const recorder = recordingEvents();
    const test = await createTestServer({ approvals: { events: recorder.events } });
    const { approvalId } = await pendingRequest(test, "sensitive");
    const waiting = getWith(test, test.adminKey, `/v1/approvals/${approvalId}?wait=60`);
    await until(() => recorder.waiting() === 1);
    await test.app.close();
    const answered = await waiting;
    expect(answered.statusCode).toBe(200);
    expect(answered.json().status).toBe("pending");
  });

  it("frees the waiter as soon as its client hangs up", async () => {
    const recorder = recordingEvents();
    server = await createTestServer({ approvals: { events: recorder.events } });
    const { token, approvalId } = await pendingRequest(server, "sensitive");
    const origin = await server.app.listen({ port: 0, host: "127.0.0.1" });

    // node:http, so that destroy() really closes the socket (fetch may keep it for reuse).
    const outgoing = httpRequest(new URL(`${origin}/v1/approvals/${approvalId}?wait=60`), {
      headers: { authorization: `Bearer ${token}` },
    });
    const failed = new Promise((resolve) => outgoing.on("error", resolve));
    outgoing.end();
    await until(() => recorder.waiting() === 1);
    outgoing.destroy();
    await failed;
    // Without noticing the hang-up the waiter would stay for the whole minute (and time out here).
    await until(() => recorder.waiting() === 0);
  });

  it("wakes a waiter at the end of a critical delay", async () => {
    // The real clock: the delay has to pass for the timer, so keep it to one second.
    const app = await createServer({
      masterKey: randomBytes(32),
      database: await freshDatabaseConfig(),
      approvals: { criticalDelaySeconds: 1 },
      rateLimits: UNTHROTTLED,
    });
    const test: TestServer = {
      app,
      adminKey: app.firstStart?.adminKey ?? "",
      agentKey: app.firstStart?.agentKey ?? "",
      metricsToken: app.firstStart?.metricsToken ?? "",
      clock: { now: () => new Date(), advance() {}, set() {} },
      masterKey: Buffer.alloc(0),
    };
    server = test;
    // An approver must exist before the request (this server's clock is the real one).
    const second = await createAdmin(test, "second approver");
    const { token, approvalId } = await pendingRequest(test, "critical");
    await decide(test, test.adminKey, approvalId, "approve");
    const delayed = await decide(test, second.adminKey, approvalId, "approve");
    expect(delayed.json().status).toBe("pending");

    const answered = await getWith(test, token, `/v1/approvals/${approvalId}?wait=30`);
    expect(answered.json()).toMatchObject({
      status: "approved",
      decided_at: delayed.json().eligible_at,
    });
    expect((await getWith(test, token, "/v1/secrets/prod/key")).statusCode).toBe(200);
  });
});
