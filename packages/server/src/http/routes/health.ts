import { z } from "zod";
import type { VaultContext } from "../../vault/vault-context.js";
import { errorResponses } from "../schemas/error-schema.js";
import type { VaultApp } from "../vault-app.js";

const healthResponse = z.object({
  status: z.literal("ok"),
  time: z.string().describe("The server's clock, ISO-8601 UTC"),
});

/** `GET /v1/health`: no auth; answers once the database answers. */
export function registerHealthRoutes(app: VaultApp, context: VaultContext): void {
  app.get(
    "/v1/health",
    {
      schema: {
        summary: "Liveness and database check (no authentication)",
        tags: ["health"],
        response: { 200: healthResponse, ...errorResponses(500) },
      },
    },
    async () => {
      await context.data.audit.head("__health__");
      return { status: "ok" as const, time: context.now().toISOString() };
    },
  );
}
