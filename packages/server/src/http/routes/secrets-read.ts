import { z } from "zod";
import { DEFAULT_PAGE_SIZE } from "../../vault/list-secrets.js";
import { listSecrets, readMetadata, readPath } from "../../vault/read-secrets.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { actorOf } from "../request-actor.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import {
  listQuery,
  metadataWithVersionsResponse,
  pathParams,
  readQuery,
  secretListResponse,
  secretValueResponse,
} from "../schemas/secret-schemas.js";
import { secretPathFromUrl } from "../secret-url-path.js";
import type { VaultApp } from "../vault-app.js";

const TAGS = ["secrets"];
const READ_ERRORS = [...AUTHENTICATED_ERRORS, 202, 404, 423] as const;

/** Reading secrets: listings, values, metadata (docs/protocol.md, "Secrets"). */
export function registerSecretReadRoutes(app: VaultApp, context: VaultContext): void {
  app.get(
    "/v1/secrets",
    {
      config: { cachedPrincipal: true },
      schema: {
        summary: "List the metadata of every secret below a namespace that the credential may read",
        description:
          "Recursive, ordered by path; values are never listed. Needs read on <namespace>/* (or some scope reaching below it: the list holds only what the credential may read); 403 SCOPE_DENIED when it could read nothing below.",
        tags: TAGS,
        querystring: listQuery,
        response: { 200: secretListResponse, ...errorResponses(...READ_ERRORS) },
      },
    },
    (request) =>
      listSecrets(context, actorOf(request), {
        namespace: request.query.namespace ?? "",
        limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
        cursor: request.query.cursor ?? null,
      }),
  );

  app.get(
    "/v1/secrets/*",
    {
      config: { cachedPrincipal: true },
      schema: {
        summary: "Read a secret's value (current version, or ?version=N)",
        description:
          "Needs read. When no secret exists at the path but secrets the credential may read exist below it, answers with the namespace listing (as GET /v1/secrets?namespace=<path>, honouring limit and cursor). An expired secret, or a version retired after a rotation's grace period, is 404. Above the standard tier an agent key gets 202 APPROVAL_PENDING until a person approves.",
        tags: TAGS,
        params: pathParams,
        querystring: readQuery,
        response: {
          200: z.union([secretValueResponse, secretListResponse]),
          ...errorResponses(...READ_ERRORS),
        },
      },
    },
    (request) =>
      readPath(context, actorOf(request), secretPathFromUrl(request, "/v1/secrets/"), {
        version: request.query.version ?? undefined,
        limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
        cursor: request.query.cursor ?? null,
      }),
  );

  app.get(
    "/v1/metadata/*",
    {
      config: { cachedPrincipal: true },
      schema: {
        summary: "A secret's metadata and its versions (never a value)",
        description: "Needs read. No tier approval is needed: tiers gate values only.",
        tags: TAGS,
        params: pathParams,
        response: { 200: metadataWithVersionsResponse, ...errorResponses(...READ_ERRORS) },
      },
    },
    (request) =>
      readMetadata(context, actorOf(request), secretPathFromUrl(request, "/v1/metadata/")),
  );
}
