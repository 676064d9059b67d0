import { z } from "zod";
import { createAdmin, createTenant, deleteAdmin, listAdmins } from "../../vault/admins.js";
import { handOverOperator, rotateAdminKey } from "../../vault/key-rotation.js";
import type { AdminRecord } from "../../vault/records.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import {
  adminResponse,
  createAdminBody,
  createdAdminResponse,
  createdTenantResponse,
  createTenantBody,
  idParams,
  rotatedKeyResponse,
  rotateKeyBody,
} from "../schemas/principal-schemas.js";
import type { VaultApp } from "../vault-app.js";

const TAGS = ["admins"];

function toAdminBody(admin: AdminRecord): z.infer<typeof adminResponse> {
  return {
    admin_id: admin.id,
    id: admin.id,
    name: admin.name,
    is_operator: admin.isOperator,
    created_at: admin.createdAt,
  };
}

/** Admins (named approvers) and tenants (the operator only). */
export function registerAdminRoutes(app: VaultApp, context: VaultContext): void {
  app.post(
    "/v1/admins",
    {
      schema: {
        summary: "Create a named admin (an approver) in the caller's tenant; its key is shown once",
        description:
          "While the tenant has one admin, at once. From two admins on, a two-person action: the first call answers 202 APPROVAL_PENDING with a critical approval request (scopes admins:create:<name>) that another admin, created before it, approves (no critical delay); then the same call by the same admin creates the admin (once, within the grant time; 409 if the approval was already used).",
        tags: TAGS,
        body: createAdminBody,
        response: {
          201: createdAdminResponse,
          ...errorResponses(...AUTHENTICATED_ERRORS, 202, 409),
        },
      },
    },
    async (request, reply) => {
      const { admin, apiKey } = await createAdmin(context, actorOf(request), request.body.name);
      reply.status(201);
      return { ...toAdminBody(admin), api_key: apiKey };
    },
  );

  app.get(
    "/v1/admins",
    {
      schema: {
        summary: "List the tenant's admins (admin)",
        tags: TAGS,
        response: {
          200: z.object({ items: z.array(adminResponse) }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request) => ({
      items: (await listAdmins(context, actorOf(request))).map(toAdminBody),
    }),
  );

  app.delete(
    "/v1/admins/:id",
    {
      schema: {
        summary: "Delete an admin (not yourself): its key and the tokens it issued stop working",
        description:
          "Only the operator may delete the operator's admin key (403 SCOPE_DENIED otherwise). Every token the admin issued, and their descendants, is revoked. A two-person action as creating one is (202 APPROVAL_PENDING with scopes admins:delete:<id> until another admin approved; then the same call deletes).",
        tags: TAGS,
        params: idParams,
        response: { 204: z.null(), ...errorResponses(...AUTHENTICATED_ERRORS, 202, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteAdmin(context, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/v1/admins/:id/rotate-key",
    {
      schema: {
        summary: "Give your own admin key a new value, shown once; the old one stops working",
        description:
          "Only the admin itself (403 SCOPE_DENIED for another admin's key, the operator's included). The tokens it issued stay valid unless revoke_tokens is true.",
        tags: TAGS,
        params: idParams,
        body: rotateKeyBody,
        response: { 200: rotatedKeyResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 404) },
      },
    },
    async (request) => {
      const rotated = await rotateAdminKey(context, actorOf(request), request.params.id, {
        revokeTokens: request.body?.revoke_tokens === true,
      });
      return { id: rotated.id, api_key: rotated.apiKey, revoked_tokens: rotated.revokedTokens };
    },
  );

  app.post(
    "/v1/admins/:id/make-operator",
    {
      schema: {
        summary: "Hand the operator role to another admin of your tenant (the operator only)",
        description:
          "That admin may then create tenants and delete the operator's key; the caller becomes a plain admin. 404 for no such admin, 409 for yourself.",
        tags: TAGS,
        params: idParams,
        response: { 204: z.null(), ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409) },
      },
    },
    async (request, reply) => {
      await handOverOperator(context, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/v1/tenants",
    {
      schema: {
        summary: "Create a tenant and its first admin key (the operator only)",
        tags: ["tenants"],
        body: createTenantBody,
        response: { 201: createdTenantResponse, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request, reply) => {
      const created = await createTenant(context, actorOf(request), request.body.name);
      reply.status(201);
      return {
        tenant_id: created.tenantId,
        name: created.name,
        admin_id: created.adminId,
        admin_key: created.adminKey,
        created_at: created.createdAt,
      };
    },
  );
}
