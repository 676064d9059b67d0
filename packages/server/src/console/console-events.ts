import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApprovalChange } from "../approvals/approval-events.js";
import type { VaultContext } from "../vault/vault-context.js";
import {
  type ConsoleSessions,
  type LiveConsoleSession,
  SESSION_COOKIE,
} from "./console-sessions.js";

/** How often the stream says it is alive and checks that its session still is (without counting as activity), in ms. */
const HEARTBEAT_MS = 15_000;
/** What the browser waits before reconnecting a dropped stream, in ms. */
const RECONNECT_MS = 1_000;

/**
 * `GET /console/events`: server-sent events from the change feed the long-poll uses
 * (`ApprovalEvents`), for the session's tenant. Each event names only the request and its
 * status; the page then reads the request from the API. The stream ends when the server closes,
 * the client goes away, or the session ends (checked at each heartbeat). Without a tenant-wide
 * feed (a custom `ApprovalEvents` lacking `subscribeTenant`), it tells the page to re-read at the
 * long-poll's recheck interval instead.
 */
export function streamApprovalChanges(options: {
  context: VaultContext;
  sessions: ConsoleSessions;
  request: FastifyRequest;
  reply: FastifyReply;
  session: LiveConsoleSession;
}): void {
  const { context, sessions, request, reply, session } = options;
  const { tenantId } = session.principal;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
    "x-request-id": request.id,
  });
  raw.write(`retry: ${RECONNECT_MS}\n\n`);
  const send = (event: string, data: unknown) => {
    if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  send("ready", { at: context.now().toISOString() });

  const onChange = (change: ApprovalChange) => {
    if (change.tenantId !== tenantId) return;
    send("approval", { approval_id: change.approvalId, status: change.status });
  };
  const unsubscribe =
    context.approvalEvents.subscribeTenant?.(tenantId, onChange) ??
    (() => {
      const timer = setInterval(() => send("refresh", {}), context.approvalRecheckMs);
      return () => clearInterval(timer);
    })();
  const heartbeat = setInterval(() => {
    void sessions.lookup(request.cookies[SESSION_COOKIE], { touch: false }).then(
      (found) => {
        if ("failure" in found) {
          send("session-ended", {});
          finish();
        } else if (!raw.writableEnded) raw.write(": alive\n\n");
      },
      () => finish(),
    );
  }, HEARTBEAT_MS);

  let finished = false;
  function finish(): void {
    if (finished) return;
    finished = true;
    clearInterval(heartbeat);
    unsubscribe();
    context.closing.removeEventListener("abort", finish);
    if (!raw.writableEnded) raw.end();
  }
  context.closing.addEventListener("abort", finish, { once: true });
  raw.once("close", finish);
}
