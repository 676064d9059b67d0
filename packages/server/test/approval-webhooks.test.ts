import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type RunningServer,
  StartServerError,
  startServer,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
} from "../src/index.js";
import { decide } from "./helpers/approvals.js";
import { startServerDatabase } from "./helpers/test-database.js";
import {
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
  UNTHROTTLED,
} from "./helpers/test-server.js";
import { startWebhookReceiver, type WebhookReceiver } from "./helpers/webhook-receiver.js";

const SECRET = "test-only-webhook-secret-7c1d";
const CANARY = "canary-value-webhook-5e2b";

let server: TestServer | undefined;
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await server?.app.close();
  await receiver?.close();
  server = undefined;
  receiver = undefined;
});

async function pendingRequest(test: TestServer) {
  await putSecret(test, test.agentKey, "prod/key", { value: CANARY, tier: "sensitive" });
  const issued = await requestToken(test, test.agentKey, { scope: "secrets:read:prod/*" });
  return { token: issued.body.token, approvalId: issued.body.approval_request_id as string };
}

describe("approval webhooks", () => {
  it("sends approval.requested and approval.granted, signed so the receiver can verify them", async () => {
    receiver = await startWebhookReceiver();
    server = await createTestServer({
      approvals: { webhook: { url: receiver.url, secret: SECRET } },
    });
    const { token, approvalId } = await pendingRequest(server);
    await decide(server, server.adminKey, approvalId, "approve", "ok");

    // Deliveries run concurrently: they may arrive in any order.
    const deliveries = await receiver.received(2);
    expect(deliveries.map((delivery) => delivery.headers["x-ass-event"]).sort()).toEqual([
      "approval.granted",
      "approval.requested",
    ]);
    for (const delivery of deliveries) {
      const signature = delivery.headers[WEBHOOK_SIGNATURE_HEADER];
      expect(verifyWebhookSignature(SECRET, signature, delivery.rawBody)).toBe(true);
      expect(verifyWebhookSignature(SECRET, signature, `${delivery.rawBody} `)).toBe(false);
      expect(verifyWebhookSignature("another-secret-of-length", signature, delivery.rawBody)).toBe(
        false,
      );
      expect(delivery.rawBody).not.toContain(CANARY);
      expect(delivery.rawBody).not.toContain(token);
      expect(delivery.rawBody).not.toContain(server.adminKey);
    }
    const grantedDelivery = deliveries.find(
      (delivery) => delivery.headers["x-ass-event"] === "approval.granted",
    );
    expect(JSON.parse(grantedDelivery?.rawBody ?? "{}")).toMatchObject({
      type: "approval.granted",
      id: grantedDelivery?.headers["x-ass-delivery"],
      approval: {
        id: approvalId,
        status: "approved",
        tier: "sensitive",
        scopes: ["secrets:read:prod/*"],
        approvals: [{ comment: "ok" }],
        required_approvals: 1,
      },
    });
  });

  it("reports denials and cancellations too", async () => {
    receiver = await startWebhookReceiver();
    server = await createTestServer({
      approvals: { webhook: { url: receiver.url, secret: SECRET } },
    });
    const first = await pendingRequest(server);
    await decide(server, server.adminKey, first.approvalId, "deny");
    const second = await requestToken(server, server.agentKey, { scope: "secrets:read:prod/key" });
    await decide(server, server.agentKey, second.body.approval_request_id as string, "cancel");
    const deliveries = await receiver.received(4);
    expect(deliveries.map((delivery) => delivery.headers["x-ass-event"]).sort()).toEqual([
      "approval.cancelled",
      "approval.denied",
      "approval.requested",
      "approval.requested",
    ]);
  });

  it("never holds up an approval when the receiver is down", async () => {
    const gone = await startWebhookReceiver();
    await gone.close();
    server = await createTestServer({
      approvals: { webhook: { url: gone.url, secret: SECRET, retries: 1, timeoutMs: 1000 } },
    });
    const { token, approvalId } = await pendingRequest(server);
    const approved = await decide(server, server.adminKey, approvalId, "approve");
    expect(approved.statusCode).toBe(200);
    expect((await getWith(server, token, "/v1/secrets/prod/key")).statusCode).toBe(200);
  });

  it("delivers what is queued before close() resolves", async () => {
    receiver = await startWebhookReceiver();
    const test = await createTestServer({
      approvals: { webhook: { url: receiver.url, secret: SECRET } },
    });
    const { approvalId } = await pendingRequest(test);
    await decide(test, test.adminKey, approvalId, "approve");
    await test.app.close();
    expect(receiver.deliveries).toHaveLength(2);
  });

  it("refuses a webhook secret too short to be one", async () => {
    await expect(
      createTestServer({ approvals: { webhook: { url: "http://127.0.0.1:9/", secret: "short" } } }),
    ).rejects.toThrow(/at least 16 characters/);
  });
});

describe("startServer and the webhook environment", () => {
  let running: RunningServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await running?.close();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    running = undefined;
    dataDir = undefined;
  });

  it("reads ASS_WEBHOOK_URL and ASS_WEBHOOK_SECRET", async () => {
    receiver = await startWebhookReceiver();
    dataDir = await mkdtemp(join(tmpdir(), "ass-webhook-"));
    const { env, ...database } = await startServerDatabase();
    running = await startServer({
      port: 0,
      dataDir,
      logger: false,
      rateLimits: UNTHROTTLED,
      ...database,
      env: { ...env, ASS_WEBHOOK_URL: receiver.url, ASS_WEBHOOK_SECRET: SECRET },
    });
    const agentKey = running.firstStart?.agentKey ?? "";
    const headers = { authorization: `Bearer ${agentKey}`, "content-type": "application/json" };
    await fetch(`${running.baseUrl}/secrets/prod/key`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ value: CANARY, tier: "critical" }),
    });
    const read = await fetch(`${running.baseUrl}/secrets/prod/key`, { headers });
    expect(read.status).toBe(202);
    const [delivery] = await receiver.received(1);
    expect(delivery?.headers["x-ass-event"]).toBe("approval.requested");
    expect(
      verifyWebhookSignature(
        SECRET,
        delivery?.headers[WEBHOOK_SIGNATURE_HEADER],
        delivery?.rawBody ?? "",
      ),
    ).toBe(true);
  });

  it("refuses a webhook URL without its secret", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "ass-webhook-"));
    await expect(
      startServer({
        port: 0,
        dataDir,
        logger: false,
        env: { ASS_WEBHOOK_URL: "http://127.0.0.1:9/" },
      }),
    ).rejects.toThrow(StartServerError);
  });
});
