import type { FastifyReply } from "fastify";
import { z } from "zod";
import { SERVER_VERSION } from "../../package-version.js";
import { databaseAnswers } from "../../vault/readiness.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { errorResponses } from "../schemas/error-schema.js";
import type { VaultApp } from "../vault-app.js";

const healthResponse = z.object({
  status: z
    .enum(["ok", "unavailable"])
    .describe(
      "ok: ready to serve; unavailable (with 503): the database does not answer, or this instance does not hold the vault's current master key",
    ),
  time: z.string().describe("The server's clock, ISO-8601 UTC"),
  version: z.string().describe("The server's version (its package.json)"),
  database: z
    .enum(["ok", "unavailable"])
    .describe("Whether the database answered a read (one that began within the last second)"),
  master_key: z
    .enum(["ok", "missing"])
    .describe(
      "missing: the vault's keyring names a current master key this instance does not hold (it missed a rotation; restart it with the current key)",
    ),
});
type HealthBody = z.infer<typeof healthResponse>;

/**
 * `GET /v1/health`: no auth; liveness and readiness. 200 `status: "ok"` when the database answered
 * a read that began within the last second (`READINESS_FRESH_MS`; read again when older) and this
 * instance holds the vault's current master key; 503 `status: "unavailable"` when that read fails
 * or takes over two seconds, or when the keyring (re-read every few seconds) names a current key
 * this instance could not learn (`master_key: "missing"`): a load balancer then sends traffic
 * elsewhere. Both carry the server's `version`.
 */
export function registerHealthRoutes(app: VaultApp, context: VaultContext): void {
  const answer = (databaseAnswered: boolean, reply: FastifyReply): HealthBody => {
    const keyHeld = context.keyring.missingCurrentKeyId === null;
    if (!databaseAnswered) context.log.warn({}, "Health check: the database did not answer");
    if (!keyHeld) {
      context.log.warn(
        { key_id: context.keyring.missingCurrentKeyId },
        "Health check: this instance does not hold the vault's current master key",
      );
    }
    const ready = databaseAnswered && keyHeld;
    if (!ready) reply.code(503);
    return {
      status: ready ? "ok" : "unavailable",
      time: context.now().toISOString(),
      version: SERVER_VERSION,
      database: databaseAnswered ? "ok" : "unavailable",
      master_key: keyHeld ? "ok" : "missing",
    };
  };
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
    // Not async: a fresh readiness answers without a promise.
    (_request, reply) => {
      const ready = databaseAnswers(context);
      return ready === true
        ? answer(true, reply)
        : ready.then((answered) => answer(answered, reply));
    },
  );
}
