import { Readable, Transform } from "node:stream";
import { finished } from "node:stream/promises";
import { z } from "zod";
import type { ResolvedBrokerRoute } from "../../broker/broker-route.js";
import { digestCall } from "../../broker/call-digest.js";
import { createUpstreamAgents, forwardCall, upstreamTarget } from "../../broker/forward-call.js";
import { incomingCall } from "../../broker/incoming-call.js";
import { brokerCall } from "../../vault/broker-call.js";
import { budgetKeyOf } from "../../vault/principal.js";
import type { VaultContext } from "../../vault/vault-context.js";
import {
  LONG_POLL_RETRY_AFTER_SECONDS,
  type LongPollLimits,
  longPollRefused,
} from "../long-poll-limits.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import type { VaultApp } from "../vault-app.js";

/** The methods a broker route answers. */
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function headerText(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === "" ? undefined : text.trim();
}

/** `Prefer: wait=N` (RFC 7240) as seconds; 0 without it. */
function preferredWait(prefer: string | string[] | undefined): number {
  const text = Array.isArray(prefer) ? prefer.join(",") : (prefer ?? "");
  const match = /(?:^|[,;\s])wait\s*=\s*(\d{1,6})/i.exec(text);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

function countingStream() {
  let count = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      count += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, count: () => count };
}

/**
 * `ANY /v1/broker/{route}/{rest…}` (docs/protocol.md, "Credential broker"): parses the call,
 * lets the vault service authorise it (scope `use`, approval, tier, one token use, audit) and
 * streams it upstream and back. The body is never parsed: a catch-all parser hands the request
 * stream on as it is.
 */
export function registerBrokerRoutes(
  app: VaultApp,
  context: VaultContext,
  routes: readonly ResolvedBrokerRoute[],
  longPolls: LongPollLimits,
): void {
  const byName = new Map(routes.map((route) => [route.name, route]));
  const agents = createUpstreamAgents();
  app.register(async (broker: VaultApp) => {
    broker.addHook("onClose", async () => agents.destroy());
    broker.removeAllContentTypeParsers();
    broker.addContentTypeParser("*", (_request, payload, done) => done(null, payload));
    // One route a method, so each has its own operation in the OpenAPI document.
    for (const method of METHODS) {
      broker.route({
        method,
        url: "/v1/broker/:route/*",
        schema: {
          summary: "Call an upstream API through a broker route, the route's secret injected",
          description:
            "Forwards to the route's upstream with the rest of the path and the query; the caller's credential (Authorization: Bearer or X-Vault-Token) is removed and the secret injected. Needs secrets:use (or read) on the route's secret; tiers gate it as a read. One token use a call; audited secret.used. Any upstream answer is passed on as it is, streamed.",
          tags: ["broker"],
          params: z.object({
            route: z.string().describe("The broker route's name"),
            "*": z.string().describe("The upstream path (query kept)"),
          }),
          response: errorResponses(...AUTHENTICATED_ERRORS, 202, 404, 423, 502, 503, 504),
        },
        handler: async (request, reply) => {
          const { route, call } = incomingCall(byName, {
            method: request.method,
            url: request.raw.url ?? request.url,
            headers: request.headers,
            body: request.body instanceof Readable ? request.body : undefined,
          });
          // A caller that hangs up while its call waits for an approval frees the wait at once.
          const hangUp = new AbortController();
          reply.raw.once("close", () => {
            if (!reply.raw.writableEnded) hangUp.abort();
          });
          const actor = actorOf(request);
          await brokerCall(
            context,
            actor,
            {
              route: route.name,
              secretPath: route.secretPath,
              method: call.method,
              path: call.rest,
              destination: upstreamTarget(route, call),
              approval: route.approval,
              callApproval: {
                approvalId: headerText(request.headers["x-approval-id"]),
                waitSeconds: preferredWait(request.headers.prefer),
                hangUp: hangUp.signal,
                holdWait: () => {
                  const slot = longPolls.acquire(budgetKeyOf(actor.principal));
                  if (typeof slot === "string") {
                    reply.header("retry-after", String(LONG_POLL_RETRY_AFTER_SECONDS));
                    throw longPollRefused(slot, longPolls);
                  }
                  return () => slot.release();
                },
                digest: () => digestCall(route, call),
              },
            },
            async (value) => {
              const answer = await forwardCall(route, call, value, agents);
              const counter = countingStream();
              answer.body.on("error", (error) => counter.stream.destroy(error));
              reply.code(answer.status).headers(answer.headers);
              const sent = finished(reply.raw).catch(() => undefined);
              reply.send(answer.body.pipe(counter.stream));
              await sent;
              return {
                status: answer.status,
                bytesSent: answer.bytesSent(),
                bytesReceived: counter.count(),
              };
            },
          );
          return reply;
        },
      });
    }
  });
}
