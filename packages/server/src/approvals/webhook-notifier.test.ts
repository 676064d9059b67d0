import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { WebhookApproval, WebhookEvent } from "./webhook-event.js";
import {
  createWebhookNotifier,
  type WebhookLogger,
  type WebhookNotifierOptions,
} from "./webhook-notifier.js";
import { verifyWebhookSignature } from "./webhook-signature.js";

const SECRET = "whsec-fake-canary-5b7e2c9d41";
// Webhook URLs often carry a token in their path; it must never reach a log line.
const PATH_TOKEN = "fake-path-token-9d1c";
const FAST_BACKOFF = { baseMs: 1, capMs: 5, jitter: false } as const;

const APPROVAL: WebhookApproval = {
  id: "apr_0123",
  status: "pending",
  tier: "critical",
  scopes: ["secrets:read:production/db/*"],
  path: null,
  requested_by: "agt_42",
  description: "nightly migration",
  approvals: [{ by: "adm_a", at: new Date("2026-01-15T10:00:00.000Z"), comment: "ok" }],
  required_approvals: 2,
  eligible_at: null,
  decided_at: null,
  expires_at: "2026-01-16T10:00:00.000Z",
};
const REQUESTED: WebhookEvent = { type: "approval.requested", approval: APPROVAL };

type Received = { headers: IncomingHttpHeaders; rawBody: string; verified: boolean };
type Receiver = { url: string; received: Received[]; close(): Promise<void> };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A receiver on 127.0.0.1 that verifies each delivery and answers `statusFor(n)` to the n-th. */
async function startReceiver(statusFor: (index: number) => number | "hang"): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const verified = verifyWebhookSignature(SECRET, request.headers["x-ass-signature"], rawBody);
      received.push({ headers: request.headers, rawBody, verified });
      const status = statusFor(received.length);
      if (status === "hang") return;
      response.writeHead(verified ? status : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(close);
  return { url: `http://127.0.0.1:${port}/hooks/${PATH_TOKEN}`, received, close };
}

/** A loopback URL nobody listens on. */
async function deadUrl(): Promise<string> {
  const receiver = await startReceiver(() => 200);
  await receiver.close();
  return receiver.url;
}

function recordingLogger(): WebhookLogger & { warnings: [Record<string, unknown>, string][] } {
  const warnings: [Record<string, unknown>, string][] = [];
  return { warnings, warn: (details, message) => warnings.push([details, message]) };
}

function notifierFor(url: string, options: Partial<WebhookNotifierOptions> = {}) {
  const notifier = createWebhookNotifier({
    url,
    secret: SECRET,
    backoff: FAST_BACKOFF,
    ...options,
  });
  cleanups.push(() => notifier.close({ timeoutMs: 0 }));
  return notifier;
}

describe("createWebhookNotifier", () => {
  it("delivers a signed event that the receiver verifies", async () => {
    const receiver = await startReceiver(() => 204);
    const notifier = notifierFor(receiver.url);
    notifier.notify(REQUESTED);
    await notifier.flush();

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery?.verified).toBe(true);
    expect(delivery?.headers["content-type"]).toBe("application/json");
    expect(delivery?.headers["x-ass-event"]).toBe("approval.requested");
    const body = JSON.parse(delivery?.rawBody ?? "");
    expect(delivery?.headers["x-ass-delivery"]).toBe(body.id);
    expect(body).toMatchObject({
      type: "approval.requested",
      approval: {
        id: "apr_0123",
        tier: "critical",
        approvals: [{ by: "adm_a", at: "2026-01-15T10:00:00.000Z", comment: "ok" }],
        expires_at: "2026-01-16T10:00:00.000Z",
      },
    });
  });

  it("retries failed deliveries with the same delivery id, each freshly signed", async () => {
    const receiver = await startReceiver((index) => (index <= 2 ? 503 : 200));
    const logger = recordingLogger();
    const notifier = notifierFor(receiver.url, { retries: 5, logger });
    notifier.notify(REQUESTED);
    await notifier.flush();

    expect(receiver.received).toHaveLength(3);
    expect(receiver.received.every((delivery) => delivery.verified)).toBe(true);
    const ids = new Set(receiver.received.map((delivery) => delivery.headers["x-ass-delivery"]));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.received.map((delivery) => delivery.rawBody)).size).toBe(1);
    expect(logger.warnings).toEqual([]);
  });

  it("gives each event its own delivery id", async () => {
    const receiver = await startReceiver(() => 200);
    const notifier = notifierFor(receiver.url);
    notifier.notify(REQUESTED);
    notifier.notify({ type: "approval.granted", approval: { ...APPROVAL, status: "approved" } });
    await notifier.flush();
    const ids = new Set(receiver.received.map((delivery) => delivery.headers["x-ass-delivery"]));
    expect(ids.size).toBe(2);
  });

  it("gives up after the configured retries and logs a warning without the secret or the URL path", async () => {
    const receiver = await startReceiver(() => 500);
    const logger = recordingLogger();
    const notifier = notifierFor(receiver.url, { retries: 2, logger });
    notifier.notify(REQUESTED);
    await notifier.flush();

    expect(receiver.received).toHaveLength(3);
    expect(logger.warnings).toHaveLength(1);
    const [details, message] = logger.warnings[0]!;
    expect(message).toMatch(/giving up/);
    expect(details).toMatchObject({ event: "approval.requested", retries: 2, status: 500 });
    expect(details.delivery_id).toBe(receiver.received[0]?.headers["x-ass-delivery"]);
    const logged = JSON.stringify(logger.warnings);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(PATH_TOKEN);
  });

  it("never blocks notify() on a dead URL, and reports the refused connection later", async () => {
    const url = await deadUrl();
    const logger = recordingLogger();
    let fetchCalls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      fetchCalls += 1;
      return fetch(input, init);
    };
    const notifier = notifierFor(url, { retries: 1, logger, fetch: countingFetch });

    const returned: unknown = notifier.notify(REQUESTED);
    expect(returned).toBeUndefined();
    expect(fetchCalls).toBe(0);
    expect(notifier.pending).toBe(1);

    await notifier.flush();
    expect(fetchCalls).toBe(2);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.[0]).toMatchObject({ error: "ECONNREFUSED" });
  });

  it("counts a receiver that never answers as a failed attempt after the timeout", async () => {
    const receiver = await startReceiver(() => "hang");
    const logger = recordingLogger();
    const notifier = notifierFor(receiver.url, { retries: 1, timeoutMs: 50, logger });
    notifier.notify(REQUESTED);
    await notifier.flush();
    expect(receiver.received).toHaveLength(2);
    expect(logger.warnings[0]?.[0]).toMatchObject({ error: "TimeoutError" });
  });

  it("keeps a throwing fetch and a malformed event away from the caller", async () => {
    const logger = recordingLogger();
    const throwingFetch: typeof fetch = () => {
      throw new Error(`boom ${SECRET}`);
    };
    const notifier = notifierFor("http://127.0.0.1:9/hook", {
      retries: 0,
      logger,
      fetch: throwingFetch,
    });
    expect(() => notifier.notify(REQUESTED)).not.toThrow();
    expect(() => notifier.notify({ type: "approval.requested" } as WebhookEvent)).not.toThrow();
    expect(() => notifier.notify(null as unknown as WebhookEvent)).not.toThrow();
    await notifier.flush();
    expect(logger.warnings.map(([, message]) => message)).toEqual([
      expect.stringMatching(/could not be queued/),
      expect.stringMatching(/could not be queued/),
      expect.stringMatching(/giving up/),
    ]);
    expect(JSON.stringify(logger.warnings)).not.toContain(SECRET);
  });

  it("sends only the approval's listed fields, never anything else it carries", async () => {
    const receiver = await startReceiver(() => 200);
    const notifier = notifierFor(receiver.url);
    const approval = { ...APPROVAL, value: "canary-value-1f3a9e", api_key: "canary-key-77aa" };
    notifier.notify({ type: "approval.requested", approval });
    await notifier.flush();
    const rawBody = receiver.received[0]?.rawBody ?? "";
    expect(rawBody).toContain("apr_0123");
    expect(rawBody).not.toContain("canary-value-1f3a9e");
    expect(rawBody).not.toContain("canary-key-77aa");
  });

  it("refuses URLs that are not http(s), without echoing them, and short secrets", () => {
    for (const url of ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "nope"]) {
      expect(() => createWebhookNotifier({ url, secret: SECRET })).toThrow(TypeError);
      try {
        createWebhookNotifier({ url, secret: SECRET });
      } catch (error) {
        expect((error as Error).message).not.toContain(url);
      }
    }
    expect(() => createWebhookNotifier({ url: "https://127.0.0.1/x", secret: "short" })).toThrow(
      /at least 16/,
    );
    expect(() =>
      createWebhookNotifier({ url: "https://127.0.0.1/x", secret: SECRET, retries: -1 }),
    ).toThrow(RangeError);
  });

  it("drops events beyond the queue size with a warning", async () => {
    const releases: (() => void)[] = [];
    const heldFetch: typeof fetch = () =>
      new Promise((resolve) => releases.push(() => resolve(new Response(null, { status: 200 }))));
    const logger = recordingLogger();
    const notifier = notifierFor("http://127.0.0.1:9/hook", {
      fetch: heldFetch,
      maxQueueSize: 2,
      concurrency: 1,
      logger,
    });
    for (let index = 0; index < 4; index += 1) notifier.notify(REQUESTED);
    expect(notifier.pending).toBe(2);
    expect(logger.warnings.map(([, message]) => message)).toEqual([
      expect.stringMatching(/queue full/),
      expect.stringMatching(/queue full/),
    ]);
    while (notifier.pending > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    await notifier.flush();
  });

  it("closes promptly while a dead receiver is being retried, then drops new events", async () => {
    const url = await deadUrl();
    const logger = recordingLogger();
    const notifier = notifierFor(url, {
      retries: 5,
      backoff: { baseMs: 60_000, jitter: false },
      logger,
    });
    notifier.notify(REQUESTED);
    await notifier.close({ timeoutMs: 20 });
    expect(notifier.pending).toBe(0);
    expect(logger.warnings.at(-1)?.[1]).toMatch(/abandoned at shutdown/);

    expect(() => notifier.notify(REQUESTED)).not.toThrow();
    expect(notifier.pending).toBe(0);
    expect(logger.warnings.at(-1)?.[1]).toMatch(/closed/);
  });
});
