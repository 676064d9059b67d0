import {
  checkNamespace,
  mayReadBelow,
  requiredScope,
  type SecretPath,
} from "@agentsecretstore/protocol";
import type { Actor } from "./actor.js";
import {
  completeAction,
  consumeTokenUse,
  denyScope,
  mayDo,
  requireApprovedToken,
  scopesOf,
} from "./guard.js";
import { listReadableSecrets, type SecretPageBody } from "./list-secrets.js";
import type { Principal } from "./principal.js";
import { readSecretValue } from "./read-secret.js";
import { isExpired, type SecretMetadataBody, toSecretMetadataBody } from "./secret-fields.js";
import { withIntegrityCheck } from "./secret-integrity.js";
import type { VaultContext } from "./vault-context.js";
import { secretNotFound, validationError } from "./vault-error.js";

/** A page of a listing as a request asks for it. */
export type PageRequest = { limit: number; cursor: string | null };

/** A secret's metadata with its versions and their retirement times. */
export type SecretMetadataWithVersions = SecretMetadataBody & {
  versions: { version: number; created_at: string; retired_at: string | null }[];
};

function mayList(principal: Principal, namespace: string): boolean {
  const scopes = scopesOf(principal);
  return scopes === "all" || mayReadBelow(scopes, namespace);
}

/** Hands a listing out: after approval, with one token use and an audit event. */
async function answerListing(
  context: VaultContext,
  { principal, origin }: Actor,
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

/**
 * The metadata of every live secret below `namespace` that the actor may read, a page at a time.
 * SCOPE_DENIED (audited) when no scope of the actor reaches below the namespace.
 */
export function listSecrets(
  context: VaultContext,
  actor: Actor,
  request: PageRequest & { namespace: string },
): Promise<SecretPageBody> {
  return withIntegrityCheck(context, actor, request.namespace || null, () =>
    listSecretsChecked(context, actor, request),
  );
}

async function listSecretsChecked(
  context: VaultContext,
  actor: Actor,
  request: PageRequest & { namespace: string },
): Promise<SecretPageBody> {
  const { principal, origin } = actor;
  const namespace = checkNamespace(request.namespace);
  if (!namespace.ok) throw validationError([{ field: "namespace", message: namespace.message }]);
  if (!mayList(principal, namespace.namespace)) {
    const pattern = namespace.namespace === "" ? "*" : `${namespace.namespace}/*`;
    await denyScope(
      context,
      origin,
      principal,
      "read",
      namespace.namespace,
      requiredScope("read", pattern),
    );
  }
  const page = await listReadableSecrets(context, principal, {
    namespace: namespace.namespace,
    limit: request.limit,
    cursor: request.cursor,
  });
  return answerListing(context, actor, page);
}

/**
 * `GET /v1/secrets/{path}`: the value of the secret at `path` (the current version or
 * `version`), or — when there is none but the actor may read secrets below it — the listing of
 * that namespace. Whether a secret exists is never looked up for an actor without the scope, so
 * the same SCOPE_DENIED answers either way; otherwise SECRET_NOT_FOUND, one token use spent.
 */
export function readPath(
  context: VaultContext,
  actor: Actor,
  path: SecretPath,
  request: PageRequest & { version: number | undefined },
) {
  return withIntegrityCheck(context, actor, path.full, () =>
    readPathChecked(context, actor, path, request),
  );
}

async function readPathChecked(
  context: VaultContext,
  actor: Actor,
  path: SecretPath,
  request: PageRequest & { version: number | undefined },
) {
  const { principal, origin } = actor;
  const canRead = mayDo(principal, "read", path.full);
  // The secret and the version asked for come in one statement.
  const found = canRead
    ? await context.data.secrets.findForRead(principal.tenantId, path.full, request.version)
    : undefined;
  if (found !== undefined && !isExpired(found.secret, context.now())) {
    return readSecretValue(context, origin, principal, path, found, request.version);
  }
  if (request.version === undefined && mayList(principal, path.full)) {
    const page = await listReadableSecrets(context, principal, {
      namespace: path.full,
      limit: request.limit,
      cursor: request.cursor,
    });
    if (page.items.length > 0 || request.cursor !== null) {
      return answerListing(context, actor, page);
    }
  }
  if (!canRead) await denyScope(context, origin, principal, "read", path.full);
  await requireApprovedToken(context, origin, principal);
  await consumeTokenUse(context, origin, principal);
  throw secretNotFound(path.full, request.version);
}

/**
 * A secret's metadata and its versions, never a value: needs `read`, but no tier approval
 * (tiers gate values only). Audited as a read of kind `metadata`.
 */
export function readMetadata(
  context: VaultContext,
  actor: Actor,
  path: SecretPath,
): Promise<SecretMetadataWithVersions> {
  return withIntegrityCheck(context, actor, path.full, () =>
    readMetadataChecked(context, actor, path),
  );
}

async function readMetadataChecked(
  context: VaultContext,
  { principal, origin }: Actor,
  path: SecretPath,
): Promise<SecretMetadataWithVersions> {
  if (!mayDo(principal, "read", path.full)) {
    await denyScope(context, origin, principal, "read", path.full);
  }
  await requireApprovedToken(context, origin, principal);
  const secret = await context.data.secrets.findByPath(principal.tenantId, path.full);
  if (secret === undefined || isExpired(secret, context.now())) {
    await consumeTokenUse(context, origin, principal);
    throw secretNotFound(path.full);
  }
  const versions = await context.data.secrets.listVersions(principal.tenantId, secret.id);
  await completeAction(context, origin, principal, {
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
}
