import type { ResolvedBrokerRoute } from "../../broker/broker-route.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { authenticate } from "../authenticate.js";
import type { LongPollLimits } from "../long-poll-limits.js";
import type { VaultApp } from "../vault-app.js";
import { registerAdminRoutes } from "./admins.js";
import { registerAgentRoutes } from "./agents.js";
import { registerApprovalRoutes } from "./approvals.js";
import { registerAuditRoutes } from "./audit.js";
import { registerBrokerRoutes } from "./broker.js";
import { registerHealthRoutes } from "./health.js";
import { registerMeRoute } from "./me.js";
import { registerNamespaceRoutes } from "./namespaces.js";
import { registerOpenApiRoute } from "./openapi.js";
import { registerSecretImportRoute } from "./secrets-import.js";
import { registerSecretReadRoutes } from "./secrets-read.js";
import { registerSecretRotateRoutes } from "./secrets-rotate.js";
import { registerSecretWriteRoutes } from "./secrets-write.js";
import { registerTokenRoutes } from "./tokens.js";
import { registerTokenListRoute } from "./tokens-list.js";
import { registerWebhookRoutes } from "./webhook.js";

/**
 * Every route of the API, in one place: the open ones (health, the OpenAPI document), then one
 * encapsulated scope whose single onRequest hook authenticates every route inside it. `longPolls`
 * caps the approval long-polls waiting at once.
 */
export function registerRoutes(
  app: VaultApp,
  context: VaultContext,
  options: { longPolls: LongPollLimits; brokerRoutes?: readonly ResolvedBrokerRoute[] },
): void {
  registerHealthRoutes(app, context);
  registerOpenApiRoute(app);
  app.register(async (authenticated: VaultApp) => {
    authenticated.addHook("onRequest", authenticate(context));
    registerTokenRoutes(authenticated, context);
    registerTokenListRoute(authenticated, context);
    registerMeRoute(authenticated, context);
    registerSecretReadRoutes(authenticated, context);
    registerSecretWriteRoutes(authenticated, context);
    registerSecretRotateRoutes(authenticated, context);
    registerSecretImportRoute(authenticated, context);
    registerNamespaceRoutes(authenticated, context);
    registerApprovalRoutes(authenticated, context, options.longPolls);
    registerAuditRoutes(authenticated, context);
    registerAgentRoutes(authenticated, context);
    registerAdminRoutes(authenticated, context);
    registerWebhookRoutes(authenticated, context);
    registerBrokerRoutes(authenticated, context, options.brokerRoutes ?? [], options.longPolls);
  });
}
