// Two app instances on one PostgreSQL schema delivering one webhook outbox (PostgreSQL-only;
// runs in the "server" project).
import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../../src/create-server.js";
import { openPostgresDatabase } from "../../src/db/postgres-database.js";
import { WebhookStore } from "../../src/store/webhook-store.js";
import type { VaultServer } from "../../src/vault-server.js";
import { createTestSchema } from "../helpers/test-database.js";
import { bearer, UNTHROTTLED } from "../helpers/test-server.js";

const SECRET = `whsec-${"m".repeat(20)}`;
const apps: VaultServer[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A receiver that answers after a few milliseconds, widening the window for a double send. */
async function slowReceiver() {
  const arrivals: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      arrivals.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      setTimeout(() => response.writeHead(204).end(), 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, arrivals };
}

describe("the webhook outbox on two instances", () => {
  it("deliver each event once, in commit order, from two instances on one database", async () => {
    const hook = await slowReceiver();
    const { url } = await createTestSchema();
    const database = { kind: "postgres" as const, url, poolSize: 8 };
    const masterKey = randomBytes(32);
    const config = {
      masterKey,
      database,
      rateLimits: UNTHROTTLED,
      approvals: { webhook: { url: hook.url, secret: SECRET } },
      webhooks: { pollIntervalMs: 20, backoff: { baseMs: 20, capMs: 100 } },
    };
    const first = await createServer(config);
    const second = await createServer(config);
    apps.push(first, second);
    const keys = first.firstStart;
    if (keys === null) throw new Error("expected the first start on the first instance");
    const put = await first.inject({
      method: "PUT",
      url: "/v1/secrets/prod/key",
      headers: bearer(keys.adminKey),
      payload: { value: `v-${"x".repeat(12)}`, tier: "sensitive" },
    });
    expect(put.statusCode).toBe(201);
    const ask = async (app: VaultServer) => {
      const issued = await app.inject({
        method: "POST",
        url: "/v1/tokens",
        headers: bearer(keys.agentKey),
        payload: { scope: "secrets:read:prod/*" },
      });
      expect(issued.statusCode).toBe(202);
      return issued.json().approval_request_id as string;
    };

    // 60 one after another, alternating instances (their order is known), then 40 at once.
    const sequential: string[] = [];
    for (let index = 0; index < 60; index += 1) {
      sequential.push(await ask(index % 2 === 0 ? first : second));
    }
    await Promise.all(Array.from({ length: 40 }, (_, index) => ask(index % 2 ? first : second)));

    const deadline = Date.now() + 30_000;
    while (new Set(hook.arrivals.map((a) => a.headers["x-ass-delivery"])).size < 100) {
      if (Date.now() > deadline) throw new Error(`only ${hook.arrivals.length} arrived`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));

    // The commit order is the outbox's per-tenant sequence.
    const opened = openPostgresDatabase({ url, poolSize: 1 });
    cleanups.push(() => opened.db.destroy());
    const events = await new WebhookStore(opened.db).listEvents(keys.tenantId);
    expect(events).toHaveLength(100);
    expect(events.every((event) => event.state === "delivered")).toBe(true);

    const ids = hook.arrivals.map((arrival) => arrival.headers["x-ass-delivery"]);
    const duplicates = ids.length - new Set(ids).size;
    console.info(`two instances: 100 events, ${ids.length} deliveries, ${duplicates} duplicates`);
    expect(duplicates).toBe(0);
    expect(ids).toEqual(events.map((event) => event.id));
    const approvalIds = hook.arrivals.map(
      (arrival) => (JSON.parse(arrival.body) as { approval: { id: string } }).approval.id,
    );
    expect(approvalIds.slice(0, 60)).toEqual(sequential);
  }, 90_000);
});
