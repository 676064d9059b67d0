import { checkSecretPath, decodePathParam, type SecretPath } from "@agentsecretstore/protocol";
import type { FastifyRequest } from "fastify";
import { notFound, validationError } from "../vault/vault-error.js";

/**
 * The secret path of a wildcard route, read from the raw URL (not the router's already-decoded
 * parameter) and decoded exactly once: literal slashes and one percent-encoded segment name the
 * same path; anything docs/protocol.md forbids is a 400, never normalised.
 *
 * `suffix` is a literal trailing action segment (`/rotate`): only the final literal
 * `/rotate` is the action, so a secret named `…/rotate` is rotated as `…/rotate/rotate` or
 * `…%2Frotate/rotate`, and read, written or deleted at its own path as usual.
 */
export function secretPathFromUrl(
  request: FastifyRequest,
  prefix: "/v1/secrets/" | "/v1/metadata/",
  suffix?: "/rotate",
): SecretPath {
  const rawUrl = request.raw.url ?? request.url;
  const queryAt = rawUrl.indexOf("?");
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  if (!rawPath.startsWith(prefix)) {
    throw validationError([{ field: "path", message: `the URL must start with ${prefix}` }]);
  }
  let raw = rawPath.slice(prefix.length);
  if (suffix !== undefined) {
    if (!raw.endsWith(suffix)) {
      throw notFound(`${request.method} on a secret path must end in ${suffix}`);
    }
    raw = raw.slice(0, -suffix.length);
  }
  const decoded = decodePathParam(raw);
  if (!decoded.ok) throw validationError([{ field: "path", message: decoded.message }]);
  const checked = checkSecretPath(decoded.value);
  if (!checked.ok) throw validationError([{ field: "path", message: checked.message }]);
  return checked.path;
}
