import type { VaultApp } from "../vault-app.js";
import type { VaultContext } from "../vault-context.js";
import { registerAdminRoutes } from "./admins.js";
import { registerAgentRoutes } from "./agents.js";
import { registerHealthRoutes } from "./health.js";
import { registerOpenApiRoute } from "./openapi.js";
import { registerTokenRoutes } from "./tokens.js";

/** Every route of the API, in one place. */
export function registerRoutes(app: VaultApp, context: VaultContext): void {
  registerHealthRoutes(app, context);
  registerTokenRoutes(app, context);
  registerAgentRoutes(app, context);
  registerAdminRoutes(app, context);
  registerOpenApiRoute(app);
}
