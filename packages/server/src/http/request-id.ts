import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** A client's own id is kept only when it is short and plain, so it is safe to log and echo. */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's `genReqId`: the incoming `x-request-id` when well formed, else a fresh UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers["x-request-id"];
  if (typeof incoming === "string" && WELL_FORMED_REQUEST_ID.test(incoming)) return incoming;
  return `req_${randomUUID()}`;
}
