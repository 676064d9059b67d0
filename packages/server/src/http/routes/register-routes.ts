import type { VaultApp } from "../vault-app.js";
import type { VaultContext } from "../vault-context.js";
import { registerAdminRoutes } from "./admins.js";
import { registerAgentRoutes } from "./agents.js";
import { registerApprovalRoutes } from "./approvals.js";
import { registerAuditRoutes } from "./audit.js";
import { registerHealthRoutes } from "./health.js";
import { registerMeRoute } from "./me.js";
import { registerOpenApiRoute } from "./openapi.js";
import { registerSecretImportRoute } from "./secrets-import.js";
import { registerSecretReadRoutes } from "./secrets-read.js";
import { registerSecretRotateRoutes } from "./secrets-rotate.js";
import { registerSecretWriteRoutes } from "./secrets-write.js";
import { registerTokenRoutes } from "./tokens.js";
import { registerTokenListRoute } from "./tokens-list.js";

/** Every route of the API, in one place. */
export function registerRoutes(app: VaultApp, context: VaultContext): void {
  registerHealthRoutes(app, context);
  registerTokenRoutes(app, context);
  registerTokenListRoute(app, context);
  registerMeRoute(app, context);
  registerSecretReadRoutes(app, context);
  registerSecretWriteRoutes(app, context);
  registerSecretRotateRoutes(app, context);
  registerSecretImportRoute(app, context);
  registerApprovalRoutes(app, context);
  registerAuditRoutes(app, context);
  registerAgentRoutes(app, context);
  registerAdminRoutes(app, context);
  registerOpenApiRoute(app);
}
