import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { VaultMetrics } from "../metrics/vault-metrics.js";
import { TransportError } from "./error-status.js";
import { logsInfo } from "./logging.js";

/** Options of {@link installRequestHooks}. */
export type RequestHooksOptions = {
  /** Where each answer is counted. */
  metrics: Pick<VaultMetrics, "observeRequest">;
  /** Aborted once the server begins to close. */
  closing: AbortSignal;
  /** Where the one info line per answered request goes (`requestLineLogger`), or null for none. */
  requestLog: FastifyBaseLogger | null;
};

/**
 * The hooks every request passes through, on the app itself (not encapsulated): the
 * `x-request-id` header, 503 while the server shuts down, `Connection: close` for requests still
 * in flight then, the request metrics and the one log line per request. They take Fastify's
 * callback form, so no promise is made per hook and request; `bench/hooks-server.ts` measures
 * them against a bare route.
 */
export function installRequestHooks(app: FastifyInstance, options: RequestHooksOptions): void {
  const { metrics, closing, requestLog } = options;
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    if (closing.aborted) {
      done(new TransportError(503, "INTERNAL", "The server is shutting down; retry shortly"));
      return;
    }
    done();
  });
  app.addHook("onResponse", (request, reply, done) => {
    metrics.observeRequest(
      {
        method: request.method,
        // The template (`/v1/secrets/*`), never the URL: labels stay few and hold no paths.
        route: request.routeOptions.url ?? "unmatched",
        statusCode: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
    if (requestLog !== null && logsInfo(request.log)) {
      requestLog.info(
        {
          reqId: request.id,
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime),
        },
        "request completed",
      );
    }
    done();
  });
  // A request still in flight when close() began gets `Connection: close`, so its keep-alive
  // socket ends with the response instead of holding close() until the idle timeout.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing.aborted) reply.header("connection", "close");
    done(null, payload);
  });
}
