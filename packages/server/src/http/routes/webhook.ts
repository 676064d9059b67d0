import { z } from "zod";
import {
  deleteTenantWebhook,
  setTenantWebhook,
  showTenantWebhook,
  type TenantWebhookView,
} from "../../vault/tenant-webhook.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import type { VaultApp } from "../vault-app.js";

const TAGS = ["webhook"];

const setWebhookBody = z.strictObject({
  url: z
    .string()
    .describe(
      "The receiver, an absolute http(s) URL; link-local and cloud metadata addresses are refused",
    ),
  secret: z
    .string()
    .describe("The HMAC-SHA-256 signing secret shared with the receiver, 16 characters or more"),
});

const webhookResponse = z.object({
  url: z.string().nullable().describe("The tenant's own receiver, or null"),
  secret_set: z.boolean().describe("Whether a signing secret is set (it is never shown)"),
  uses_operator_webhook: z
    .boolean()
    .describe("True when the tenant has no webhook and its events go to the operator's"),
  updated_at: z.string().nullable(),
  events: z
    .object({ pending: z.number(), delivered: z.number(), failed: z.number() })
    .describe("The tenant's events in the outbox, by state"),
});

function toBody(view: TenantWebhookView): z.infer<typeof webhookResponse> {
  return {
    url: view.url,
    secret_set: view.secretSet,
    uses_operator_webhook: view.usesOperatorWebhook,
    updated_at: view.updatedAt,
    events: view.events,
  };
}

/** The caller's tenant's webhook (admins only): set, show, delete. */
export function registerWebhookRoutes(app: VaultApp, context: VaultContext): void {
  app.put(
    "/v1/webhook",
    {
      schema: {
        summary: "Set the tenant's webhook for approval events (admin)",
        description:
          "The tenant's approval events go to this receiver, in commit order, signed with the secret (stored sealed, never shown). 400 VALIDATION_ERROR for a URL that is not http(s), names a link-local or cloud metadata address, or a secret under 16 characters.",
        tags: TAGS,
        body: setWebhookBody,
        response: { 200: webhookResponse, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request) => toBody(await setTenantWebhook(context, actorOf(request), request.body)),
  );

  app.get(
    "/v1/webhook",
    {
      schema: {
        summary: "Show the tenant's webhook: its URL and whether a secret is set (admin)",
        tags: TAGS,
        response: { 200: webhookResponse, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request) => toBody(await showTenantWebhook(context, actorOf(request))),
  );

  app.delete(
    "/v1/webhook",
    {
      schema: {
        summary: "Remove the tenant's webhook; its events go to the operator's again (admin)",
        tags: TAGS,
        response: { 204: z.null(), ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      await deleteTenantWebhook(context, actorOf(request));
      return reply.status(204).send(null);
    },
  );
}
