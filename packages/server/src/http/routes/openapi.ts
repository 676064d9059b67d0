import type { VaultApp } from "../vault-app.js";

/** `GET /v1/openapi.json`: the OpenAPI 3.1 document generated from the routes' zod schemas. */
export function registerOpenApiRoute(app: VaultApp): void {
  app.get(
    "/v1/openapi.json",
    { schema: { summary: "This API's OpenAPI document (no authentication)", tags: ["health"] } },
    async () => app.swagger(),
  );
}
