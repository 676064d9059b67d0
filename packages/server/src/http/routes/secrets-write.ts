import { checkSecretPath } from "@agentsecretstore/protocol";
import { z } from "zod";
import { deleteSecret } from "../../vault/delete-secret.js";
import { putSecret } from "../../vault/put-secret.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { validationError } from "../../vault/vault-error.js";
import { actorOf } from "../request-actor.js";
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
const WRITE_ERRORS = [...AUTHENTICATED_ERRORS, 202, 409, 412, 423] as const;

/** Writing and deleting secrets (docs/protocol.md, "Secrets"). */
export function registerSecretWriteRoutes(app: VaultApp, context: VaultContext): void {
  app.put(
    "/v1/secrets/*",
    {
      // Every answer past the schema ends in guardedWrite, whose token use confirms the principal.
      config: { cachedPrincipal: true },
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
      const path = secretPathFromUrl(request, "/v1/secrets/");
      const ifMatch = readIfMatch(request);
      const response = await putSecret(context, actorOf(request), {
        path,
        value: request.body.value,
        fields: readSecretFields(request.body, context.now()),
        ifMatch,
        idempotencyKey: readIdempotencyKey(request),
        fingerprint: {
          method: "PUT",
          path: path.full,
          ifMatch: ifMatch ?? null,
          body: request.body,
        },
      });
      reply.status(response.statusCode as 200 | 201);
      return response.body as z.infer<typeof secretMetadataResponse>;
    },
  );

  app.post(
    "/v1/secrets",
    {
      // Every answer past the schema ends in guardedWrite, whose token use confirms the principal.
      config: { cachedPrincipal: true },
      schema: {
        summary: "Legacy create: path in the body; 409 CONFLICT when a secret exists there",
        tags: TAGS,
        body: createSecretBody,
        response: { 201: secretMetadataResponse, ...errorResponses(...WRITE_ERRORS) },
      },
    },
    async (request, reply) => {
      const checked = checkSecretPath(request.body.path);
      if (!checked.ok) throw validationError([{ field: "path", message: checked.message }]);
      const { path: _path, value, ...rest } = request.body;
      const response = await putSecret(context, actorOf(request), {
        path: checked.path,
        value,
        fields: readSecretFields(rest, context.now()),
        createOnly: true,
        idempotencyKey: readIdempotencyKey(request),
        fingerprint: { method: "POST", body: request.body },
      });
      reply.status(201);
      return response.body as z.infer<typeof secretMetadataResponse>;
    },
  );

  app.delete(
    "/v1/secrets/*",
    {
      // Every answer past the schema ends in guardedWrite, whose token use confirms the principal.
      config: { cachedPrincipal: true },
      schema: {
        summary: "Delete a secret and destroy every version of it",
        description:
          "Needs delete. 204; 404 SECRET_NOT_FOUND when there is none (an expired secret can still be deleted).",
        tags: TAGS,
        params: pathParams,
        response: { 204: z.null(), ...errorResponses(...AUTHENTICATED_ERRORS, 202, 404, 423) },
      },
    },
    async (request, reply) => {
      await deleteSecret(context, actorOf(request), secretPathFromUrl(request, "/v1/secrets/"));
      return reply.status(204).send(null);
    },
  );
}
