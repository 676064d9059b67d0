import { type WebhookEventType, webhookBody } from "../approvals/webhook-event.js";
import { generateId } from "../crypto/credentials.js";
import type { Stores } from "../store/stores.js";
import { type ApprovalView, toWebhookApproval } from "./approval-view.js";
import type { VaultContext } from "./vault-context.js";

/**
 * Inside the transaction of an approval change: writes its webhook event to the outbox, so that
 * the event commits with the change or not at all (docs/security.md). Written only when the
 * tenant has a receiver (its own webhook, else the operator's). The delivery id is the row's id,
 * the same on every attempt and after restarts.
 */
export async function enqueueApprovalEvent(
  stores: Stores,
  context: VaultContext,
  view: ApprovalView,
  type: WebhookEventType,
): Promise<void> {
  const tenantId = view.record.tenantId;
  if (
    !context.webhookOutbox.operatorConfigured &&
    (await stores.webhooks.findTenantWebhook(tenantId)) === undefined
  ) {
    return;
  }
  const id = generateId("whd_");
  const createdAt = context.now();
  const body = webhookBody({ type, approval: toWebhookApproval(view) }, id, createdAt);
  await stores.webhooks.enqueue({
    id,
    tenantId,
    eventType: type,
    body: JSON.stringify(body),
    createdAt: context.webhookOutbox.now().toISOString(),
  });
}
