import type { VaultApp } from "../vault-app.js";
import type { VaultContext } from "../vault-context.js";
import { registerHealthRoutes } from "./health.js";
import { registerOpenApiRoute } from "./openapi.js";

/** Every route of the API, in one place. */
export function registerRoutes(app: VaultApp, context: VaultContext): void {
  registerHealthRoutes(app, context);
  registerOpenApiRoute(app);
}
