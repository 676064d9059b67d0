import { z } from "zod";
import { bootstrapKeyCheck } from "../../bootstrap.js";
import { generateCredential, generateId, hashCredential } from "../../crypto/credentials.js";
import type { AdminRecord } from "../../store/principals-store.js";
import { appendAudit } from "../../vault/audit-event.js";
import { requireAdmin } from "../../vault/require-admin.js";
import { revokeTokens } from "../../vault/revoke-tokens.js";
import { runUnitOfWork } from "../../vault/unit-of-work.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { conflict, notFound, shownId } from "../../vault/vault-error.js";
import { originOf } from "../request-origin.js";
import { principalOf } from "../request-principal.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import {
  adminResponse,
  createAdminBody,
  createdAdminResponse,
  createdTenantResponse,
  createTenantBody,
  idParams,
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
        tags: TAGS,
        body: createAdminBody,
        response: { 201: createdAdminResponse, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request, reply) => {
      const caller = await requireAdmin(context, originOf(request), principalOf(request));
      const apiKey = generateCredential("admin");
      const admin: AdminRecord = {
        id: generateId("adm_"),
        tenantId: caller.tenantId,
        name: request.body.name,
        isOperator: false,
        createdAt: context.now().toISOString(),
      };
      await context.data.transaction(async (stores) => {
        await stores.principals.insertAdmin({
          ...admin,
          keyHash: hashCredential(context.credentialHmacKey, apiKey),
        });
        await appendAudit(stores, context, originOf(request), caller, {
          event: "admin.created",
          outcome: "success",
          detail: { admin_id: admin.id },
        });
      });
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
    async (request) => {
      const caller = await requireAdmin(context, originOf(request), principalOf(request));
      return {
        items: (await context.data.principals.listAdmins(caller.tenantId)).map(toAdminBody),
      };
    },
  );

  app.delete(
    "/v1/admins/:id",
    {
      schema: {
        summary: "Delete an admin (not yourself): its key and the tokens it issued stop working",
        description:
          "Only the operator may delete the operator's admin key (403 SCOPE_DENIED otherwise). Every token the admin issued, and their descendants, is revoked.",
        tags: TAGS,
        params: idParams,
        response: { 204: z.null(), ...errorResponses(...AUTHENTICATED_ERRORS, 404, 409) },
      },
    },
    async (request, reply) => {
      const caller = await requireAdmin(context, originOf(request), principalOf(request));
      if (request.params.id === caller.id) {
        throw conflict("An admin cannot delete itself; use another admin key");
      }
      const admins = await context.data.principals.listAdmins(caller.tenantId);
      if (admins.some((admin) => admin.id === request.params.id && admin.isOperator)) {
        // The operator's key is the only one that can make tenants: another admin cannot take it away.
        await requireAdmin(context, originOf(request), caller, { operator: true });
      }
      const adminId = request.params.id;
      const actor = { principal: caller, origin: originOf(request) };
      const deleted = await runUnitOfWork(context, actor, async (unit) => {
        const at = context.now().toISOString();
        if (!(await unit.stores.principals.deleteAdmin(caller.tenantId, adminId, at))) {
          return false;
        }
        // A decision computed while this admin still counted must not land after it is gone.
        await unit.stores.approvals.invalidatePendingApprovedBy(caller.tenantId, adminId);
        // Tokens an admin issued are approved up to critical: they must not outlive its key.
        const revoked = await revokeTokens(unit, context, actor, {
          roots: await unit.stores.tokens.idsIssuedBy(caller.tenantId, adminId),
          auditEach: false,
          reason: "admin deleted",
          alsoEvict: [adminId],
        });
        await unit.audit({
          event: "admin.deleted",
          outcome: "success",
          detail: { admin_id: adminId, revoked_tokens: revoked.length },
        });
        return true;
      });
      if (!deleted) throw notFound(`No admin ${shownId(request.params.id)}`);
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
      const operator = await requireAdmin(context, originOf(request), principalOf(request), {
        operator: true,
      });
      const createdAt = context.now().toISOString();
      const tenantId = generateId("ten_");
      const adminId = generateId("adm_");
      const adminKey = generateCredential("admin");
      await context.data.transaction(async (stores) => {
        await stores.principals.insertTenant({
          id: tenantId,
          name: request.body.name,
          keyCheck: bootstrapKeyCheck(context.masterKey, tenantId),
          createdAt,
        });
        await stores.principals.insertAdmin({
          id: adminId,
          tenantId,
          name: "admin",
          isOperator: false,
          createdAt,
          keyHash: hashCredential(context.credentialHmacKey, adminKey),
        });
        await appendAudit(stores, context, originOf(request), operator, {
          event: "tenant.created",
          outcome: "success",
          detail: { tenant_id: tenantId, admin_id: adminId },
        });
      });
      reply.status(201);
      return {
        tenant_id: tenantId,
        name: request.body.name,
        admin_id: adminId,
        admin_key: adminKey,
        created_at: createdAt,
      };
    },
  );
}
