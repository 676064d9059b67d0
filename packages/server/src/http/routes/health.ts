import { z } from "zod";
import { SERVER_VERSION } from "../../package-version.js";
import { databaseAnswers } from "../../vault/readiness.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { errorResponses } from "../schemas/error-schema.js";
import type { VaultApp } from "../vault-app.js";

const healthResponse = z.object({
  status: z
    .enum(["ok", "unavailable"])
    .describe("ok: ready to serve; unavailable (with 503): the database does not answer"),
  time: z.string().describe("The server's clock, ISO-8601 UTC"),
  version: z.string().describe("The server's version (its package.json)"),
  database: z.enum(["ok", "unavailable"]).describe("Whether the database answered a read"),
});

/**
 * `GET /v1/health`: no auth; liveness and readiness. 200 `status: "ok"` once the database answers
 * a read, 503 `status: "unavailable"` when it fails or takes over two seconds (a load balancer
 * then sends traffic elsewhere). Both carry the server's `version`.
 */
export function registerHealthRoutes(app: VaultApp, context: VaultContext): void {
  app.get(
    "/v1/health",
    {
      schema: {
        operationId: "getHealth",
        summary: "Liveness, readiness (the database answers) and version (no authentication)",
        tags: ["health"],
        response: { 200: healthResponse, 503: healthResponse, ...errorResponses(500) },
      },
    },
    async (_request, reply) => {
      const ready = await databaseAnswers(context);
      const state = ready ? ("ok" as const) : ("unavailable" as const);
      if (!ready) {
        context.log.warn({}, "Health check: the database did not answer");
        reply.code(503);
      }
      return {
        status: state,
        time: context.now().toISOString(),
        version: SERVER_VERSION,
        database: state,
      };
    },
  );
}
