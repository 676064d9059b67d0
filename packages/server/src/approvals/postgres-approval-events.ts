import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import {
  type ApprovalChange,
  type ApprovalEvents,
  createInProcessApprovalEvents,
} from "./approval-events.js";
import type { ApprovalStatus } from "./approval-policy.js";

/** Where connection trouble is reported (never with the connection string). */
export type ApprovalEventsLogger = {
  warn(details: Record<string, unknown>, message: string): void;
};

/** Options of {@link createPostgresApprovalEvents}. */
export type PostgresApprovalEventsOptions = {
  /** How to reach the database: a `pg.Client` configuration or a `postgres://` URL. */
  connection: pg.ClientConfig | string;
  /**
   * The notification channel; instances of one vault must share it, and other vaults in the same
   * database should not (see {@link approvalChannelFor}).
   * @default "ass_approvals"
   */
  channel?: string;
  /** Told when the listening connection drops or cannot be opened. */
  logger?: ApprovalEventsLogger;
  /**
   * First wait before reconnecting, doubled after each failure up to 30 s, in milliseconds.
   * @default 500
   */
  reconnectDelayMs?: number;
};

/** {@link ApprovalEvents} over PostgreSQL, plus a way to wait until it listens. */
export type PostgresApprovalEvents = ApprovalEvents & {
  /**
   * Resolves once the channel is listened to, or after `timeoutMs` when the database cannot be
   * reached yet (it keeps trying in the background; waiters re-read meanwhile).
   */
  ready(timeoutMs?: number): Promise<void>;
  /** Stops listening and closes the connection. */
  close(): Promise<void>;
};

const MAX_RECONNECT_DELAY_MS = 30_000;
const READY_TIMEOUT_MS = 5_000;
const STATUSES: ReadonlySet<string> = new Set([
  "pending",
  "approved",
  "denied",
  "cancelled",
  "expired",
]);

/** PostgreSQL's limit on a channel name (an identifier), in bytes. */
const MAX_CHANNEL_LENGTH = 63;

/**
 * The channel of one vault's schema: `ass_approvals` for `public`, else one per schema (hashed
 * when the name would be too long), so vaults sharing a database do not wake each other.
 */
export function approvalChannelFor(schema: string): string {
  if (schema === "public") return "ass_approvals";
  const channel = `ass_approvals_${schema}`;
  if (channel.length <= MAX_CHANNEL_LENGTH) return channel;
  return `ass_approvals_${createHash("sha256").update(schema).digest("hex").slice(0, 32)}`;
}

/** One notification's payload: who sent it (to skip our own echo) and the change. */
type Wire = { o: string; t: string; a: string; s: ApprovalStatus };

function parseWire(payload: string | undefined): Wire | undefined {
  if (payload === undefined) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<Wire>;
    if (
      typeof value.o === "string" &&
      typeof value.t === "string" &&
      typeof value.a === "string" &&
      typeof value.s === "string" &&
      STATUSES.has(value.s)
    ) {
      return value as Wire;
    }
  } catch {
    // Someone else's NOTIFY on our channel: ignored.
  }
  return undefined;
}

/**
 * Approval change events shared by every instance on one PostgreSQL database, through
 * `LISTEN/NOTIFY` on a dedicated connection: a decision on one instance wakes the long-polls
 * waiting on the others. Local waiters are woken at once, without a round trip. Delivery is best
 * effort (a notification sent while the connection is down is lost); waiters re-read the request
 * every few seconds, so a lost one makes an answer late, never wrong.
 *
 * @example
 * const events = createPostgresApprovalEvents({ connection: process.env.DATABASE_URL });
 * await events.ready();
 * const app = await createServer({ ..., approvals: { events } });
 */
export function createPostgresApprovalEvents(
  options: PostgresApprovalEventsOptions,
): PostgresApprovalEvents {
  const local = createInProcessApprovalEvents();
  const channel = options.channel ?? "ass_approvals";
  const config =
    typeof options.connection === "string"
      ? { connectionString: options.connection }
      : options.connection;
  const instanceId = randomUUID();
  const firstDelayMs = options.reconnectDelayMs ?? 500;
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  let delayMs = firstDelayMs;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let reportedOutage = false;
  const readyWaiters = new Set<() => void>();

  function report(error: unknown, message: string): void {
    if (reportedOutage) return;
    reportedOutage = true;
    const code = (error as { code?: unknown } | undefined)?.code;
    options.logger?.warn({ code: typeof code === "string" ? code : "unknown" }, message);
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer !== undefined) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, delayMs);
    reconnectTimer.unref();
    delayMs = Math.min(delayMs * 2, MAX_RECONNECT_DELAY_MS);
  }

  function dropClient(failed: pg.Client): void {
    if (client !== failed) return;
    client = undefined;
    const wasListening = listening;
    listening = false;
    // Waiters stop trusting the feed: each re-reads now, then every few seconds until it is back.
    if (wasListening) local.wakeAll();
    failed.removeAllListeners("notification");
    failed.end().catch(() => undefined);
    scheduleReconnect();
  }

  async function connect(): Promise<void> {
    if (closed) return;
    const candidate = new pg.Client(config);
    client = candidate;
    candidate.on("error", (error) => {
      report(error, "Approval notifications (PostgreSQL LISTEN) lost their connection; retrying");
      dropClient(candidate);
    });
    candidate.on("end", () => dropClient(candidate));
    candidate.on("notification", (message) => {
      if (message.channel !== channel) return;
      const wire = parseWire(message.payload);
      if (wire === undefined || wire.o === instanceId) return;
      local.publish({ tenantId: wire.t, approvalId: wire.a, status: wire.s });
    });
    try {
      await candidate.connect();
      await candidate.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      report(error, "Approval notifications (PostgreSQL LISTEN) cannot connect; retrying");
      dropClient(candidate);
      return;
    }
    if (closed || client !== candidate) {
      await candidate.end().catch(() => undefined);
      return;
    }
    listening = true;
    // Changes sent while nobody listened are lost: every waiter re-reads once, then idles.
    local.wakeAll();
    reportedOutage = false;
    delayMs = firstDelayMs;
    for (const resolve of readyWaiters) resolve();
    readyWaiters.clear();
  }

  void connect();

  return {
    publish(change: ApprovalChange) {
      local.publish(change);
      const sender = client;
      if (sender === undefined || !listening) return;
      const payload: Wire = {
        o: instanceId,
        t: change.tenantId,
        a: change.approvalId,
        s: change.status,
      };
      sender
        .query("select pg_notify($1, $2)", [channel, JSON.stringify(payload)])
        .catch((error: unknown) => report(error, "Sending an approval notification failed"));
    },
    subscribe: (tenantId, approvalId, listener) => local.subscribe(tenantId, approvalId, listener),
    subscribeTenant: (tenantId, listener) => local.subscribeTenant!(tenantId, listener),
    isLive: () => listening,
    ready(timeoutMs = READY_TIMEOUT_MS) {
      if (listening || closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          readyWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        readyWaiters.add(done);
      });
    },
    async close() {
      closed = true;
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      for (const resolve of readyWaiters) resolve();
      readyWaiters.clear();
      local.close?.();
      const open = client;
      client = undefined;
      listening = false;
      if (open !== undefined) await open.end().catch(() => undefined);
    },
  };
}
