import { checkSecretPath } from "@agentsecretstore/protocol";
import { z } from "zod";
import { appendAudit } from "../../vault/audit-event.js";
import { authorizeAction, consumeTokenUse } from "../../vault/guard.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { secretNotFound, validationError } from "../../vault/vault-error.js";
import { idempotentWrite, writeSecretVersion } from "../../vault/write-secret.js";
import { originOf } from "../request-origin.js";
import { principalOf } from "../request-principal.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import {
  createSecretBody,
  pathParams,
  putSecretBody,
  secretMetadataResponse,
} from "../schemas/secret-schemas.js";
import { readSecretFields } from "../secret-fields.js";
import { secretPathFromUrl } from "../secret-url-path.js";
import type { VaultApp } from "../vault-app.js";
import { readIdempotencyKey, readIfMatch } from "../write-headers.js";

const TAGS = ["secrets"];
const WRITE_ERRORS = [...AUTHENTICATED_ERRORS, 202, 409, 412] as const;

/** Writing and deleting secrets (docs/protocol.md, "Secrets"). */
export function registerSecretWriteRoutes(app: VaultApp, context: VaultContext): void {
  app.put(
    "/v1/secrets/*",
    {
      schema: {
        summary: "Create a secret (201) or add a version (200)",
        description:
          "Needs write. Fields not given keep their current values. Headers: If-Match: <version> (412 PRECONDITION_FAILED with current_version when it differs; If-Match: 0 = create only) and Idempotency-Key (a retry with the same key and body returns the first response and writes nothing; the same key with another body is 409 CONFLICT). The response never holds the value.",
        tags: TAGS,
        params: pathParams,
        body: putSecretBody,
        response: {
          200: secretMetadataResponse,
          201: secretMetadataResponse,
          ...errorResponses(...WRITE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const path = secretPathFromUrl(request, "/v1/secrets/");
      await authorizeAction(context, originOf(request), principal, "write", path.full);
      const ifMatch = readIfMatch(request);
      const idempotencyKey = readIdempotencyKey(request);
      const fields = readSecretFields(request.body, context.now());
      await consumeTokenUse(context, originOf(request), principal);
      const response = await idempotentWrite(
        context,
        principal,
        idempotencyKey,
        { method: "PUT", path: path.full, ifMatch: ifMatch ?? null, body: request.body },
        (stores) =>
          writeSecretVersion(stores, context, originOf(request), principal, path, {
            value: request.body.value,
            fields,
            ifMatch,
          }),
      );
      reply.status(response.statusCode as 200 | 201);
      return response.body as z.infer<typeof secretMetadataResponse>;
    },
  );

  app.post(
    "/v1/secrets",
    {
      schema: {
        summary: "Legacy create: path in the body; 409 CONFLICT when a secret exists there",
        tags: TAGS,
        body: createSecretBody,
        response: { 201: secretMetadataResponse, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const checked = checkSecretPath(request.body.path);
      if (!checked.ok) throw validationError([{ field: "path", message: checked.message }]);
      await authorizeAction(context, originOf(request), principal, "write", checked.path.full);
      const idempotencyKey = readIdempotencyKey(request);
      const { path: _path, value, ...rest } = request.body;
      const fields = readSecretFields(rest, context.now());
      await consumeTokenUse(context, originOf(request), principal);
      const response = await idempotentWrite(
        context,
        principal,
        idempotencyKey,
        { method: "POST", body: request.body },
        (stores) =>
          writeSecretVersion(stores, context, originOf(request), principal, checked.path, {
            value,
            fields,
            createOnly: true,
          }),
      );
      reply.status(201);
      return response.body as z.infer<typeof secretMetadataResponse>;
    },
  );

  app.delete(
    "/v1/secrets/*",
    {
      schema: {
        summary: "Delete a secret and destroy every version of it",
        description:
          "Needs delete. 204; 404 SECRET_NOT_FOUND when there is none (an expired secret can still be deleted).",
        tags: TAGS,
        params: pathParams,
        response: { 204: z.null(), ...errorResponses(...AUTHENTICATED_ERRORS, 202, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const path = secretPathFromUrl(request, "/v1/secrets/");
      await authorizeAction(context, originOf(request), principal, "delete", path.full);
      await consumeTokenUse(context, originOf(request), principal);
      const deleted = await context.data.transaction(async (stores) => {
        const secret = await stores.secrets.findByPathForWrite(principal.tenantId, path.full);
        if (secret === undefined) return false;
        await stores.secrets.delete(principal.tenantId, secret.id);
        await appendAudit(stores, context, originOf(request), principal, {
          event: "secret.deleted",
          outcome: "success",
          path: path.full,
          version: secret.currentVersion,
        });
        return true;
      });
      if (!deleted) throw secretNotFound(path.full);
      return reply.status(204).send(null);
    },
  );
}
