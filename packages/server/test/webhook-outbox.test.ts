import { randomBytes } from "node:crypto";
import type { LookupAddress, lookup } from "node:dns";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../src/create-server.js";
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from "../src/index.js";
import type { ServerConfig } from "../src/server-config.js";
import type { VaultServer } from "../src/vault-server.js";
import { decide } from "./helpers/approvals.js";
import { freshDatabaseConfig } from "./helpers/test-database.js";
import {
  bearer,
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
  UNTHROTTLED,
} from "./helpers/test-server.js";
import {
  type Delivery,
  startWebhookReceiver,
  type WebhookReceiver,
} from "./helpers/webhook-receiver.js";

// The durable webhook outbox (issue 17, item 11): events are rows written with the change they
// announce, delivered after restarts, in commit order per tenant, to each tenant's own webhook.

const SECRET = `whsec-${"t".repeat(20)}`;
/** Quick retries and polls, so that a test waits milliseconds, not minutes. */
const FAST: NonNullable<ServerConfig["webhooks"]> = {
  backoff: { baseMs: 20, capMs: 100, jitter: false },
  pollIntervalMs: 50,
  timeoutMs: 300,
};

const servers: VaultServer[] = [];
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  for (const app of servers.splice(0)) await app.close();
  for (const receiver of receivers.splice(0)) await receiver.close();
});

async function receiver(mode: number | "hang" = 204): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(mode);
  receivers.push(started);
  return started;
}

async function testServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const server = await createTestServer({ webhooks: FAST, ...overrides });
  servers.push(server.app);
  return server;
}

/** A sensitive secret and an agent token request for it: one `approval.requested` each call. */
async function seed(server: TestServer, adminKey = server.adminKey): Promise<void> {
  const put = await putSecret(server, adminKey, "prod/key", {
    value: `v-${"x".repeat(12)}`,
    tier: "sensitive",
  });
  expect(put.statusCode).toBeLessThan(300);
}

async function askApproval(server: TestServer, agentKey: string): Promise<string> {
  const issued = await requestToken(server, agentKey, { scope: "secrets:read:prod/*" });
  expect(issued.statusCode).toBe(202);
  return issued.body.approval_request_id as string;
}

function approvalIdOf(delivery: Delivery): string {
  return (JSON.parse(delivery.rawBody) as { approval: { id: string } }).approval.id;
}

async function setWebhook(server: TestServer, adminKey: string, url: string, secret = SECRET) {
  return server.app.inject({
    method: "PUT",
    url: "/v1/webhook",
    headers: bearer(adminKey),
    payload: { url, secret },
  });
}

async function webhookOf(server: TestServer, adminKey: string) {
  const shown = await server.app.inject({
    method: "GET",
    url: "/v1/webhook",
    headers: bearer(adminKey),
  });
  expect(shown.statusCode).toBe(200);
  return shown.json() as {
    url: string | null;
    secret_set: boolean;
    uses_operator_webhook: boolean;
    events: { pending: number; delivered: number; failed: number };
  };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A second tenant with an agent allowed to read prod/*, made through the API. */
async function secondTenant(server: TestServer): Promise<{ adminKey: string; agentKey: string }> {
  const tenant = await server.app.inject({
    method: "POST",
    url: "/v1/tenants",
    headers: bearer(server.adminKey),
    payload: { name: "second" },
  });
  expect(tenant.statusCode).toBe(201);
  const adminKey = (tenant.json() as { admin_key: string }).admin_key;
  const agent = await server.app.inject({
    method: "POST",
    url: "/v1/agents",
    headers: bearer(adminKey),
    payload: { name: "second-agent", allowed_scopes: ["secrets:*:*"] },
  });
  expect(agent.statusCode).toBe(201);
  return { adminKey, agentKey: (agent.json() as { api_key: string }).api_key };
}

describe("the webhook outbox", () => {
  it("delivers 120 events queued against a hanging receiver after a restart, in commit order, each once", async () => {
    const hook = await receiver("hang");
    const masterKey = randomBytes(32);
    const database = await freshDatabaseConfig({ shared: true });
    const config: Partial<ServerConfig> = {
      masterKey,
      database,
      approvals: { webhook: { url: hook.url, secret: SECRET } },
    };
    const first = await createTestServer({ webhooks: FAST, ...config });
    await seed(first);
    const committed: string[] = [];
    for (let index = 0; index < 120; index += 1) {
      committed.push(await askApproval(first, first.agentKey));
    }
    // The receiver hangs: the first event is tried (and times out) again and again; the others
    // wait behind it. Then the vault stops with all 120 undelivered.
    await until(() => hook.arrivals.length >= 2);
    expect(hook.deliveries).toHaveLength(0);
    await first.app.close();

    hook.setMode(204);
    const arrivalsBefore = hook.arrivals.length;
    const started = Date.now();
    const second = await createServer({
      ...config,
      rateLimits: UNTHROTTLED,
      database,
      masterKey,
      webhooks: FAST,
    } as ServerConfig);
    servers.push(second);
    await hook.received(120);
    const elapsedMs = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));

    const delivered = hook.deliveries;
    expect(delivered.map(approvalIdOf)).toEqual(committed);
    const ids = delivered.map((delivery) => delivery.headers["x-ass-delivery"]);
    expect(new Set(ids).size).toBe(120);
    for (const delivery of delivered) {
      expect(
        verifyWebhookSignature(
          SECRET,
          delivery.headers[WEBHOOK_SIGNATURE_HEADER],
          delivery.rawBody,
        ),
      ).toBe(true);
      expect(JSON.parse(delivery.rawBody).id).toBe(delivery.headers["x-ass-delivery"]);
    }
    // The hung attempts carried the first event's delivery id: the same id after the restart,
    // so a receiver can tell a retry from a new event.
    const hungIds = new Set(
      hook.arrivals.slice(0, arrivalsBefore).map((d) => d.headers["x-ass-delivery"]),
    );
    expect([...hungIds]).toEqual([ids[0]]);
    console.info(
      `webhook outbox: 120 events delivered after restart in ${elapsedMs} ms (${Math.round(
        120_000 / elapsedMs,
      )}/s, one tenant, one at a time); ${arrivalsBefore} attempts against the hanging receiver`,
    );
  }, 60_000);

  it("sends each tenant's events to its own webhook and only those", async () => {
    const operatorHook = await receiver();
    const ownHook = await receiver();
    const server = await testServer({
      approvals: { webhook: { url: operatorHook.url, secret: SECRET } },
    });
    const other = await secondTenant(server);
    const otherSecret = `other-${"s".repeat(20)}`;
    expect((await setWebhook(server, other.adminKey, ownHook.url, otherSecret)).statusCode).toBe(
      200,
    );
    await seed(server);
    await seed(server, other.adminKey);

    const mine = [
      await askApproval(server, server.agentKey),
      await askApproval(server, server.agentKey),
    ];
    const theirs = [
      await askApproval(server, other.agentKey),
      await askApproval(server, other.agentKey),
      await askApproval(server, other.agentKey),
    ];
    await operatorHook.received(2);
    await ownHook.received(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(operatorHook.deliveries.map(approvalIdOf)).toEqual(mine);
    expect(ownHook.deliveries.map(approvalIdOf)).toEqual(theirs);
    for (const delivery of ownHook.deliveries) {
      const signature = delivery.headers[WEBHOOK_SIGNATURE_HEADER];
      expect(verifyWebhookSignature(otherSecret, signature, delivery.rawBody)).toBe(true);
      expect(verifyWebhookSignature(SECRET, signature, delivery.rawBody)).toBe(false);
    }

    // GET shows the URL and that a secret is set, never the secret; the operator's tenant uses
    // the operator's webhook.
    const shown = await server.app.inject({
      method: "GET",
      url: "/v1/webhook",
      headers: bearer(other.adminKey),
    });
    expect(shown.body).not.toContain(otherSecret);
    expect(shown.json()).toMatchObject({
      url: ownHook.url,
      secret_set: true,
      uses_operator_webhook: false,
      events: { pending: 0, delivered: 3, failed: 0 },
    });
    expect(await webhookOf(server, server.adminKey)).toMatchObject({
      url: null,
      secret_set: false,
      uses_operator_webhook: true,
    });
    // /metrics (the operator's token) counts the operator's tenant's events only.
    const scraped = await server.app.inject({
      method: "GET",
      url: "/metrics",
      headers: bearer(server.metricsToken),
    });
    expect(scraped.body).toMatch(/^ass_webhook_events\{state="delivered"\} 2$/m);
    expect(scraped.body).toMatch(/^ass_webhook_events\{state="pending"\} 0$/m);

    // Deleted: the tenant's next events go to the operator's webhook.
    const deleted = await server.app.inject({
      method: "DELETE",
      url: "/v1/webhook",
      headers: bearer(other.adminKey),
    });
    expect(deleted.statusCode).toBe(204);
    const again = await server.app.inject({
      method: "DELETE",
      url: "/v1/webhook",
      headers: bearer(other.adminKey),
    });
    expect(again.statusCode).toBe(404);
    const later = await askApproval(server, other.agentKey);
    await operatorHook.received(3);
    expect(approvalIdOf(operatorHook.deliveries[2] as Delivery)).toBe(later);
    expect(ownHook.deliveries).toHaveLength(3);
  });

  it("does not hold one tenant's events behind another tenant's hanging receiver", async () => {
    const hanging = await receiver("hang");
    const ownHook = await receiver();
    const server = await testServer({
      approvals: { webhook: { url: hanging.url, secret: SECRET } },
      webhooks: { ...FAST, timeoutMs: 5000 },
    });
    const other = await secondTenant(server);
    expect((await setWebhook(server, other.adminKey, ownHook.url)).statusCode).toBe(200);
    await seed(server);
    await seed(server, other.adminKey);
    for (let index = 0; index < 5; index += 1) await askApproval(server, server.agentKey);
    await until(() => hanging.arrivals.length >= 1);
    const theirs: string[] = [];
    const started = Date.now();
    for (let index = 0; index < 5; index += 1) {
      theirs.push(await askApproval(server, other.agentKey));
    }
    await ownHook.received(5);
    // Well inside the hanging attempt's 5 s timeout: no delivery waited for it.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(ownHook.deliveries.map(approvalIdOf)).toEqual(theirs);
    // The operator's tenant is still on its first event, which hangs.
    expect(hanging.arrivals).toHaveLength(1);
    expect((await webhookOf(server, server.adminKey)).events).toMatchObject({ pending: 5 });
  });

  it("only admins set or see a webhook", async () => {
    const server = await testServer();
    const put = await setWebhook(server, server.agentKey, "http://127.0.0.1:9/hook");
    expect(put.statusCode).toBe(403);
    const shown = await server.app.inject({
      method: "GET",
      url: "/v1/webhook",
      headers: bearer(server.agentKey),
    });
    expect(shown.statusCode).toBe(403);
  });

  it("writes no event for a change that rolled back", async () => {
    const hook = await receiver();
    const server = await testServer({ approvals: { webhook: { url: hook.url, secret: SECRET } } });
    await seed(server);
    const approvalId = await askApproval(server, server.agentKey);
    await hook.received(1);
    // The request's time ran out: the approval's transaction settles it as expired (with its
    // event), then refuses the decision and rolls back, event included.
    server.clock.advance(3 * 86_400);
    const refused = await decide(server, server.adminKey, approvalId, "approve");
    expect(refused.statusCode).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.deliveries.map((d) => d.headers["x-ass-event"])).toEqual(["approval.requested"]);
    expect((await webhookOf(server, server.adminKey)).events).toMatchObject({
      pending: 0,
      delivered: 1,
    });

    // Settled for real (reading the request): announced once.
    const read = await server.app.inject({
      method: "GET",
      url: `/v1/approvals/${approvalId}`,
      headers: bearer(server.adminKey),
    });
    expect(read.json()).toMatchObject({ status: "expired" });
    await hook.received(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hook.deliveries.map((d) => d.headers["x-ass-event"])).toEqual([
      "approval.requested",
      "approval.expired",
    ]);
  });

  it("gives up after its retries, keeps the event as failed, and goes on with the next", async () => {
    const hook = await receiver(503);
    const server = await testServer({
      approvals: { webhook: { url: hook.url, secret: SECRET } },
      webhooks: { ...FAST, retries: 2 },
    });
    await seed(server);
    const first = await askApproval(server, server.agentKey);
    await until(async () => (await webhookOf(server, server.adminKey)).events.failed === 1);
    expect(hook.arrivals.map(approvalIdOf)).toEqual([first, first, first]);
    hook.setMode(204);
    const second = await askApproval(server, server.agentKey);
    await until(async () => (await webhookOf(server, server.adminKey)).events.delivered === 1);
    expect(hook.deliveries.map(approvalIdOf)).toEqual([second]);
    expect((await webhookOf(server, server.adminKey)).events).toMatchObject({
      pending: 0,
      failed: 1,
    });
  });
});

describe("webhook destinations", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data",
    "http://[fe80::1]/hook",
    "http://[fd00:ec2::254]/hook",
    "http://100.100.100.200/hook",
    "http://[::ffff:169.254.169.254]/hook",
  ])("refuses %s when it is set, saying what to fix", async (url) => {
    const server = await testServer();
    const refused = await setWebhook(server, server.adminKey, url);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/link-local or cloud metadata/);
    expect((await webhookOf(server, server.adminKey)).url).toBeNull();
  });

  it("refuses a URL that is not http(s) and a short secret", async () => {
    const server = await testServer();
    expect((await setWebhook(server, server.adminKey, "ftp://hooks.example/x")).statusCode).toBe(
      400,
    );
    expect(
      (await setWebhook(server, server.adminKey, "http://127.0.0.1:9/x", "short")).statusCode,
    ).toBe(400);
  });

  it("refuses at delivery a host name that resolves to a metadata address", async () => {
    const hook = await receiver();
    const port = new URL(hook.url).port;
    let answer = "169.254.169.254";
    const resolver = ((
      _host: string,
      _options: unknown,
      callback: (e: null, a: LookupAddress[]) => void,
    ) => callback(null, [{ address: answer, family: 4 }])) as unknown as typeof lookup;
    const server = await testServer({ webhooks: { ...FAST, lookup: resolver } });
    expect(
      (await setWebhook(server, server.adminKey, `http://hooks.example.test:${port}/hook`))
        .statusCode,
    ).toBe(200);
    await seed(server);
    await askApproval(server, server.agentKey);
    await until(async () => (await webhookOf(server, server.adminKey)).events.failed === 1);
    expect(hook.arrivals).toHaveLength(0);

    // The same name resolving to the receiver's loopback address is delivered to.
    answer = "127.0.0.1";
    const allowed = await askApproval(server, server.agentKey);
    await hook.received(1);
    expect(hook.deliveries.map(approvalIdOf)).toEqual([allowed]);
  });
});
