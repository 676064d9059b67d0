import type { FastifyRequest } from "fastify";
import { type RotationBody, rotateSecretAt } from "../../vault/rotate-secret.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import {
  legacyRotateBody,
  pathParams,
  rotateSecretBody,
  rotationResponse,
} from "../schemas/secret-schemas.js";
import { secretPathFromUrl } from "../secret-url-path.js";
import type { VaultApp } from "../vault-app.js";
import { readIdempotencyKey } from "../write-headers.js";

const TAGS = ["secrets"];
const ROTATE_ERRORS = [...AUTHENTICATED_ERRORS, 202, 404, 423] as const;

/** Rotation with a grace period, and its legacy PATCH form (docs/protocol.md, "Secrets"). */
export function registerSecretRotateRoutes(app: VaultApp, context: VaultContext): void {
  app.post(
    "/v1/secrets/*",
    {
      // Every answer past the schema ends in guardedWrite, whose token use confirms the principal.
      config: { cachedPrincipal: true },
      schema: {
        summary: "Rotate: POST /v1/secrets/{path}/rotate",
        description:
          "Only the final literal /rotate segment names the action: a secret whose own path ends in /rotate is rotated at …/rotate/rotate (or with its path percent-encoded). Any other POST below /v1/secrets/ is 404. Adds the new version; every older version stays readable by version until expires_at (now + grace_period_seconds, default 0, max 30 days), then is 404. Needs write. Idempotency-Key: a retry with the same key and body returns the first response and rotates nothing; the same key with another body is 409 CONFLICT.",
        tags: TAGS,
        params: pathParams,
        body: rotateSecretBody,
        response: { 200: rotationResponse, ...errorResponses(...ROTATE_ERRORS) },
      },
    },
    (request) =>
      rotateAt(context, request, {
        method: "POST",
        suffix: "/rotate",
        newValue: request.body?.new_value ?? undefined,
        gracePeriodSeconds: request.body?.grace_period_seconds ?? 0,
      }),
  );

  app.patch(
    "/v1/secrets/*",
    {
      // Every answer past the schema ends in guardedWrite, whose token use confirms the principal.
      config: { cachedPrincipal: true },
      schema: {
        summary: "Legacy rotate: PATCH /v1/secrets/{path} with value and grace_period_seconds",
        description:
          "Same as POST …/rotate (Idempotency-Key included); the answer also carries version and grace_expires_at.",
        tags: TAGS,
        params: pathParams,
        body: legacyRotateBody,
        response: { 200: rotationResponse, ...errorResponses(...ROTATE_ERRORS) },
      },
    },
    (request) =>
      rotateAt(context, request, {
        method: "PATCH",
        newValue: request.body.value,
        gracePeriodSeconds: request.body.grace_period_seconds ?? 0,
      }),
  );
}

/** Both rotation forms: the path from the URL, then the vault's rotation. */
function rotateAt(
  context: VaultContext,
  request: FastifyRequest,
  rotation: {
    method: "POST" | "PATCH";
    suffix?: "/rotate";
    /** undefined: the server generates the new value. */
    newValue: string | undefined;
    gracePeriodSeconds: number;
  },
): Promise<RotationBody> {
  const path = secretPathFromUrl(request, "/v1/secrets/", rotation.suffix);
  return rotateSecretAt(context, actorOf(request), {
    path,
    newValue: rotation.newValue,
    gracePeriodSeconds: rotation.gracePeriodSeconds,
    idempotencyKey: readIdempotencyKey(request),
    fingerprint: {
      method: rotation.method,
      action: "rotate",
      path: path.full,
      body: request.body ?? null,
    },
  });
}
