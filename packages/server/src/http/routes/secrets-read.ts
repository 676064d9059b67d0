import { checkNamespace, mayReadBelow, requiredScope } from "@agentsecretstore/protocol";
import { z } from "zod";
import type { Origin } from "../../vault/actor.js";
import {
  completeAction,
  consumeTokenUse,
  denyScope,
  mayDo,
  requireApprovedToken,
  scopesOf,
} from "../../vault/guard.js";
import {
  DEFAULT_PAGE_SIZE,
  listReadableSecrets,
  type SecretPageBody,
} from "../../vault/list-secrets.js";
import type { Principal } from "../../vault/principal.js";
import { readSecretValue } from "../../vault/read-secret.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { secretNotFound, validationError } from "../../vault/vault-error.js";
import { originOf } from "../request-origin.js";
import { principalOf } from "../request-principal.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import {
  listQuery,
  metadataWithVersionsResponse,
  pathParams,
  readQuery,
  secretListResponse,
  secretValueResponse,
} from "../schemas/secret-schemas.js";
import { isExpired, toSecretMetadataBody } from "../secret-fields.js";
import { secretPathFromUrl } from "../secret-url-path.js";
import type { VaultApp } from "../vault-app.js";

const TAGS = ["secrets"];
const READ_ERRORS = [...AUTHENTICATED_ERRORS, 202, 404] as const;

function mayList(principal: Principal, namespace: string): boolean {
  const scopes = scopesOf(principal);
  return scopes === "all" || mayReadBelow(scopes, namespace);
}

/** Lists, after approval, with one token use and an audit event. */
async function answerListing(
  context: VaultContext,
  origin: Origin,
  principal: Principal,
  page: SecretPageBody,
): Promise<SecretPageBody> {
  await requireApprovedToken(context, origin, principal);
  await completeAction(context, origin, principal, {
    event: "secret.read",
    outcome: "success",
    path: page.namespace === "" ? null : page.namespace,
    detail: { kind: "list", count: page.items.length },
  });
  return page;
}

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
    async (request) => {
      const principal = principalOf(request);
      const namespace = checkNamespace(request.query.namespace ?? "");
      if (!namespace.ok)
        throw validationError([{ field: "namespace", message: namespace.message }]);
      if (!mayList(principal, namespace.namespace)) {
        const pattern = namespace.namespace === "" ? "*" : `${namespace.namespace}/*`;
        await denyScope(
          context,
          originOf(request),
          principal,
          "read",
          namespace.namespace,
          requiredScope("read", pattern),
        );
      }
      const page = await listReadableSecrets(context, principal, {
        namespace: namespace.namespace,
        limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
        cursor: request.query.cursor ?? null,
      });
      return answerListing(context, originOf(request), principal, page);
    },
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
    async (request) => {
      const principal = principalOf(request);
      const path = secretPathFromUrl(request, "/v1/secrets/");
      const canRead = mayDo(principal, "read", path.full);
      // No lookup without the scope: whether a secret exists is not disclosed to those who may not read it.
      const secret = canRead
        ? await context.data.secrets.findByPath(principal.tenantId, path.full)
        : undefined;
      if (secret !== undefined && !isExpired(secret, context.now())) {
        return readSecretValue(
          context,
          originOf(request),
          principal,
          path,
          secret,
          request.query.version ?? undefined,
        );
      }
      if (request.query.version == null && mayList(principal, path.full)) {
        const page = await listReadableSecrets(context, principal, {
          namespace: path.full,
          limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
          cursor: request.query.cursor ?? null,
        });
        if (page.items.length > 0 || request.query.cursor != null) {
          return answerListing(context, originOf(request), principal, page);
        }
      }
      if (!canRead) await denyScope(context, originOf(request), principal, "read", path.full);
      await requireApprovedToken(context, originOf(request), principal);
      await consumeTokenUse(context, originOf(request), principal);
      throw secretNotFound(path.full, request.query.version ?? undefined);
    },
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
    async (request) => {
      const principal = principalOf(request);
      const path = secretPathFromUrl(request, "/v1/metadata/");
      if (!mayDo(principal, "read", path.full)) {
        await denyScope(context, originOf(request), principal, "read", path.full);
      }
      await requireApprovedToken(context, originOf(request), principal);
      const secret = await context.data.secrets.findByPath(principal.tenantId, path.full);
      if (secret === undefined || isExpired(secret, context.now())) {
        await consumeTokenUse(context, originOf(request), principal);
        throw secretNotFound(path.full);
      }
      const versions = await context.data.secrets.listVersions(principal.tenantId, secret.id);
      await completeAction(context, originOf(request), principal, {
        event: "secret.read",
        outcome: "success",
        path: path.full,
        detail: { kind: "metadata" },
      });
      return {
        ...toSecretMetadataBody(secret),
        versions: versions.map((version) => ({
          version: version.version,
          created_at: version.createdAt,
          retired_at: version.retiredAt,
        })),
      };
    },
  );
}
