import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, decide } from "./helpers/approvals.js";
import { bodyOf } from "./helpers/body-of.js";
import {
  bearer,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";
import { startUpstreamStub, type UpstreamStub } from "./helpers/upstream-stub.js";

// Per-call approval (issue 18, item 4): a route or a secret marked per_call turns each brokered
// call into an approval request showing the call; the approval admits that one call, once,
// for a while. Real sockets: the vault on loopback, a recording upstream stub.

const VALUE = `per-call-fixture-${"p".repeat(12)}`;
let stub: UpstreamStub;
let server: TestServer;
let vault: string;
let token: string;

beforeAll(async () => {
  stub = await startUpstreamStub();
  server = await createTestServer({
    broker: {
      routes: [
        {
          name: "pay",
          upstream: stub.origin,
          secretPath: "production/pay/key",
          header: "Authorization: Bearer {value}",
          approval: "per_call",
        },
        {
          name: "mail",
          upstream: stub.origin,
          secretPath: "production/mail/key",
          header: "X-Api-Key: {value}",
        },
      ],
    },
  });
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  vault = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  await putSecret(server, server.adminKey, "production/pay/key", { value: VALUE });
  await putSecret(server, server.adminKey, "production/mail/key", {
    value: VALUE,
    approval: "per_call",
  });
  const issued = await requestToken(server, server.agentKey, {
    scope: "secrets:use:production/*",
    ttl_seconds: 3600,
  });
  expect(issued.statusCode).toBe(201);
  token = issued.body.token;
});

afterAll(async () => {
  await server?.app.close();
  await stub?.close();
});

beforeEach(() => {
  stub.seen.length = 0;
});

const BODY = JSON.stringify({ amount: 1200, currency: "EUR", api_key: "caller-typed-secret" });

function charge(
  headers: Record<string, string> = {},
  body = BODY,
  path = "pay/v1/charges?customer=c_1&token=abc",
) {
  return fetch(`${vault}/v1/broker/${path}`, {
    method: "POST",
    headers: { ...bearer(token), "content-type": "application/json", ...headers },
    body,
  });
}

/** Makes the call once without an approval: 202 with the request's id. */
async function ask(body = BODY): Promise<string> {
  const pending = await charge({}, body);
  expect(pending.status).toBe(202);
  const answer = await bodyOf(pending);
  expect(answer.error.code).toBe("APPROVAL_PENDING");
  return answer.error.approval_request_id as string;
}

describe("a per-call approval", () => {
  it("shows the approver the method, the masked URL, the body's digest and a masked preview, and nothing goes out", async () => {
    const id = await ask();
    expect(stub.seen).toHaveLength(0);
    const shown = (await getWith(server, server.adminKey, `/v1/approvals/${id}`)).json();
    expect(shown.status).toBe("pending");
    expect(shown.call).toMatchObject({
      route: "pay",
      method: "POST",
      url: "/v1/broker/pay/v1/charges?customer=c_1&token=[REDACTED]",
      body_bytes: Buffer.byteLength(BODY),
      used_at: null,
    });
    expect(shown.call.body_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(shown.call.body_preview).toContain('"amount":1200');
    expect(shown.call.body_preview).not.toContain("caller-typed-secret");
    expect(shown.description).toContain("POST /v1/broker/pay/v1/charges");
    expect(shown.description).toContain(shown.call.body_sha256);
    expect(JSON.stringify(shown)).not.toContain(VALUE);
  });

  it("once approved admits the identical call once: the key reaches the upstream, a replay is refused", async () => {
    const id = await ask();
    expect((await decide(server, server.adminKey, id, "approve")).statusCode).toBe(200);
    const admitted = await charge({ "x-approval-id": id });
    expect(admitted.status).toBe(200);
    expect(stub.seen).toHaveLength(1);
    expect(stub.seen[0]?.headers.authorization).toBe(`Bearer ${VALUE}`);
    expect(stub.seen[0]?.headers["x-approval-id"]).toBeUndefined();
    expect(stub.seen[0]?.body).toBe(BODY);
    const replay = await charge({ "x-approval-id": id });
    expect(replay.status).toBe(403);
    expect((await bodyOf(replay)).error.code).toBe("APPROVAL_DENIED");
    expect(stub.seen).toHaveLength(1);
    const shown = (await getWith(server, server.adminKey, `/v1/approvals/${id}`)).json();
    expect(shown.call.used_at).not.toBeNull();
  });

  it("refuses another body, method or query with an approval given for one call", async () => {
    const id = await ask();
    await decide(server, server.adminKey, id, "approve");
    const otherBody = await charge({ "x-approval-id": id }, BODY.replace("1200", "999999"));
    expect(otherBody.status).toBe(403);
    expect((await bodyOf(otherBody)).error.message).toContain("another call");
    const otherQuery = await charge(
      { "x-approval-id": id },
      BODY,
      "pay/v1/charges?customer=c_2&token=abc",
    );
    expect(otherQuery.status).toBe(403);
    expect(stub.seen).toHaveLength(0);
    // The approval is still unused: the exact call goes through.
    expect((await charge({ "x-approval-id": id })).status).toBe(200);
  });

  it("is 403 once denied", async () => {
    const id = await ask();
    await decide(server, server.adminKey, id, "deny", "not today");
    const denied = await charge({ "x-approval-id": id });
    expect(denied.status).toBe(403);
    expect((await bodyOf(denied)).error.code).toBe("APPROVAL_DENIED");
    expect(stub.seen).toHaveLength(0);
  });

  it("stops admitting its call ten minutes after the approval", async () => {
    const id = await ask();
    await decide(server, server.adminKey, id, "approve");
    server.clock.advance(601);
    const late = await charge({ "x-approval-id": id });
    expect(late.status).toBe(403);
    expect((await bodyOf(late)).error.message).toContain("ask anew");
    expect(stub.seen).toHaveLength(0);
  });

  it("stays pending with the same id when retried before a decision, and 404s another credential's id", async () => {
    const id = await ask();
    const again = await charge({ "x-approval-id": id });
    expect(again.status).toBe(202);
    expect((await bodyOf(again)).error.approval_request_id).toBe(id);
    const unknown = await charge({ "x-approval-id": "apr_does_not_exist" });
    expect(unknown.status).toBe(404);
  });

  it("lets a caller wait for the decision with Prefer: wait=N, and the call then proceeds", async () => {
    const pendingIds = async (): Promise<string[]> =>
      (await getWith(server, server.adminKey, "/v1/approvals?status=pending&limit=200"))
        .json()
        .items.filter((item: { call: unknown }) => item.call !== null)
        .map((item: { id: string }) => item.id);
    const before = new Set(await pendingIds());
    const waiting = charge({ prefer: "wait=20" });
    let id: string | undefined;
    for (let tries = 0; id === undefined && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      id = (await pendingIds()).find((pending) => !before.has(pending));
    }
    expect(id).toBeDefined();
    await decide(server, server.adminKey, id as string, "approve");
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(stub.seen).toHaveLength(1);
  });

  it("applies when the secret, not the route, is marked per_call", async () => {
    const pending = await fetch(`${vault}/v1/broker/mail/v1/send`, {
      method: "POST",
      headers: bearer(token),
      body: "hello",
    });
    expect(pending.status).toBe(202);
    expect(stub.seen).toHaveLength(0);
    const meta = (
      await getWith(server, server.adminKey, "/v1/metadata/production/mail/key")
    ).json();
    expect(meta.approval).toBe("per_call");
  });

  it("audits a refused call as secret.used denied", async () => {
    const denied = (await auditEvents(server, "secret.used")).filter(
      (event) => event.outcome === "denied",
    );
    const reasons = denied.map((event) => (event.detail as { reason: string }).reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        "approval_used",
        "approval_other_call",
        "approval_denied",
        "approval_expired",
      ]),
    );
  });
});

describe("a brokered call waiting for its approval", () => {
  it("holds one of the credential's long-poll places: past the cap it is 429 at once", async () => {
    const capped = await createTestServer({
      limits: { maxLongPollsPerCredential: 1 },
      broker: {
        routes: [
          {
            name: "pay",
            upstream: stub.origin,
            secretPath: "production/pay/key",
            header: "Authorization: Bearer {value}",
            approval: "per_call",
          },
        ],
      },
    });
    try {
      await capped.app.listen({ port: 0, host: "127.0.0.1" });
      const base = `http://127.0.0.1:${(capped.app.server.address() as AddressInfo).port}`;
      await putSecret(capped, capped.adminKey, "production/pay/key", { value: VALUE });
      const issued = await requestToken(capped, capped.agentKey, {
        scope: "secrets:use:production/*",
        ttl_seconds: 600,
      });
      const waitingCall = (body: string) =>
        fetch(`${base}/v1/broker/pay/v1/charges`, {
          method: "POST",
          headers: { ...bearer(issued.body.token), prefer: "wait=3" },
          body,
        });
      const first = waitingCall("first");
      await new Promise((resolve) => setTimeout(resolve, 500));
      const second = await waitingCall("second");
      expect(second.status).toBe(429);
      expect(second.headers.get("retry-after")).toBe("5");
      expect((await bodyOf(second)).error.code).toBe("RATE_LIMITED");
      // The first waited out its 3 seconds and is still pending: 202, its place given back.
      expect((await first).status).toBe(202);
      expect((await waitingCall("third")).status).toBe(202);
    } finally {
      await capped.app.close();
    }
  });
});
