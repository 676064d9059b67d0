import type { OutboxState } from "../store/webhook-store.js";
import { namesRefusedAddress } from "../webhooks/send-webhook.js";
import { sealWebhookSecret } from "../webhooks/webhook-secret.js";
import type { Actor } from "./actor.js";
import { requireAdmin } from "./require-admin.js";
import { currentSealingKey } from "./secret-values.js";
import { runUnitOfWork } from "./unit-of-work.js";
import type { VaultContext } from "./vault-context.js";
import { notFound, validationError } from "./vault-error.js";

/** The shortest signing secret accepted, as for the operator's webhook. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;
const MAX_WEBHOOK_SECRET_LENGTH = 1024;
const MAX_WEBHOOK_URL_LENGTH = 2048;

/** A tenant's webhook as its admins see it: never the secret, only whether one is set. */
export type TenantWebhookView = {
  /** The tenant's own receiver, or null when it has none. */
  url: string | null;
  secretSet: boolean;
  /** Whether the tenant's events go to the operator's webhook (it has none of its own). */
  usesOperatorWebhook: boolean;
  updatedAt: string | null;
  /** The tenant's events in the outbox, by state (delivered ones until the retention ends). */
  events: Record<OutboxState, number>;
};

/**
 * Sets the caller's tenant's webhook (admins only): its events go there from now on, those still
 * waiting included, instead of to the operator's. The secret is stored sealed. A URL that names
 * a link-local or cloud metadata address is refused (400); a host name is checked after
 * resolution at every delivery.
 */
export async function setTenantWebhook(
  context: VaultContext,
  actor: Actor,
  input: { url: string; secret: string },
): Promise<TenantWebhookView> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  const url = receiverUrl(input.url);
  if (input.secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    throw validationError([
      { field: "secret", message: `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters` },
    ]);
  }
  if (input.secret.length > MAX_WEBHOOK_SECRET_LENGTH) {
    throw validationError([
      { field: "secret", message: `must be at most ${MAX_WEBHOOK_SECRET_LENGTH} characters` },
    ]);
  }
  const at = context.now().toISOString();
  await runUnitOfWork(context, { ...actor, principal: admin }, async (unit) => {
    const before = await unit.stores.webhooks.findTenantWebhook(admin.tenantId);
    await unit.stores.webhooks.putTenantWebhook({
      tenantId: admin.tenantId,
      url: url.href,
      sealedSecret: sealWebhookSecret(
        await currentSealingKey(unit.stores, context),
        admin.tenantId,
        input.secret,
      ),
      createdAt: before?.createdAt ?? at,
      updatedAt: at,
    });
    await unit.audit({
      event: "webhook.set",
      outcome: "success",
      // The origin only: a receiver's path may carry a token of its own.
      detail: { origin: url.origin },
    });
  });
  return showTenantWebhook(context, actor);
}

/** The caller's tenant's webhook (admins only), without its secret. */
export async function showTenantWebhook(
  context: VaultContext,
  actor: Actor,
): Promise<TenantWebhookView> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  const own = await context.data.webhooks.findTenantWebhook(admin.tenantId);
  return {
    url: own?.url ?? null,
    secretSet: own !== undefined,
    usesOperatorWebhook: own === undefined && context.webhookOutbox.operatorConfigured,
    updatedAt: own?.updatedAt ?? null,
    events: await context.data.webhooks.countByState(admin.tenantId),
  };
}

/**
 * Removes the caller's tenant's webhook (admins only): its events go to the operator's webhook
 * again, or, without one, are no longer written; waiting ones are then given up on. 404 when the
 * tenant has none.
 */
export async function deleteTenantWebhook(context: VaultContext, actor: Actor): Promise<void> {
  const admin = await requireAdmin(context, actor.origin, actor.principal);
  const deleted = await runUnitOfWork(context, { ...actor, principal: admin }, async (unit) => {
    if (!(await unit.stores.webhooks.deleteTenantWebhook(admin.tenantId))) return false;
    await unit.audit({ event: "webhook.deleted", outcome: "success" });
    return true;
  });
  if (!deleted) throw notFound("This tenant has no webhook of its own");
}

function receiverUrl(text: string): URL {
  const refuse = (message: string) => validationError([{ field: "url", message }]);
  if (text.length > MAX_WEBHOOK_URL_LENGTH) {
    throw refuse(`must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse("must be an absolute http(s) URL, such as https://hooks.example.com/ass");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw refuse("must use http: or https:");
  }
  if (url.username !== "" || url.password !== "") {
    throw refuse("must not carry a user name or password; the signing secret authenticates");
  }
  if (namesRefusedAddress(url)) {
    throw refuse(
      "names a link-local or cloud metadata address (169.254.0.0/16, fe80::/10, fd00:ec2::254, 100.100.100.200); give your receiver's own address",
    );
  }
  return url;
}
