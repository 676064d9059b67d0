import { AgentVaultValidationError } from "../errors.js";

/**
 * Encodes a secret path for a URL: each segment with `encodeURIComponent`, literal `/`
 * between them. Empty, `.` and `..` segments are refused here, because URL parsing would
 * silently resolve them to another path (even when percent-encoded as `%2e`), and the
 * vault's rule is reject, never normalise.
 */
export function encodeSecretPath(path: string, field = "path"): string {
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw invalidPath(field, path === "" ? "is empty" : describeBadSegment(segment));
    }
  }
  return segments.map(encodeURIComponent).join("/");
}

/** Encodes an id (token id, approval request id) as one URL segment. */
export function encodeIdSegment(id: string, field: string): string {
  if (id === "" || id === "." || id === "..") throw invalidPath(field, "is not a valid id");
  return encodeURIComponent(id);
}

function describeBadSegment(segment: string): string {
  return segment === ""
    ? "has an empty segment (a leading, trailing or doubled '/')"
    : `has a '${segment}' segment`;
}

function invalidPath(field: string, problem: string): AgentVaultValidationError {
  return new AgentVaultValidationError(
    `The ${field} ${problem}: use 1-16 segments of [A-Za-z0-9._-] joined by "/".`,
    { code: "VALIDATION_ERROR", issues: [{ field, message: problem }] },
  );
}
