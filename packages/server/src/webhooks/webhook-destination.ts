import type { UnwrapKeys } from "../crypto/envelope.js";
import type { WebhookStore } from "../store/webhook-store.js";
import type { WebhookDestination } from "./send-webhook.js";
import { openWebhookSecret } from "./webhook-secret.js";

/**
 * Where a tenant's events go: the tenant's own webhook (`PUT /v1/webhook`) when it has one, else
 * the operator's configured webhook, else nowhere (null). Read at each delivery, so a changed or
 * deleted webhook applies to the events still waiting.
 */
export function destinationResolver(
  store: WebhookStore,
  keys: UnwrapKeys,
  operator: WebhookDestination | null,
): (tenantId: string) => Promise<WebhookDestination | null> {
  return async (tenantId) => {
    const own = await store.findTenantWebhook(tenantId);
    if (own === undefined) return operator;
    return {
      url: new URL(own.url),
      secret: openWebhookSecret(keys, tenantId, own.sealedSecret),
    };
  };
}
