import { checkSegments } from "./path-segments.js";

/** A validated secret path, split into its parts. `full` is exactly the text that was checked. */
export type SecretPath = {
  /** The whole path, e.g. `production/openai/api-key`. */
  readonly full: string;
  /** All but the last segment (`production/openai`); `""` for a one-segment path. */
  readonly namespace: string;
  /** The last segment (`api-key`). */
  readonly key: string;
  /** Every segment in order. */
  readonly segments: readonly string[];
};

/**
 * Checks a secret path against the protocol's rules (docs/protocol.md, "Paths and scopes"): 1–16 segments joined by `/`, each 1–128 of
 * `[A-Za-z0-9._-]` and never `.` or `..`, at most 512 characters in all. Anything else is
 * rejected with a message that says what to fix; nothing is ever normalised, so an accepted
 * path's `full` is the input unchanged.
 *
 * @example
 * checkSecretPath("production/openai/api-key");
 * // { ok: true, path: { full: "production/openai/api-key", namespace: "production/openai", key: "api-key", ... } }
 * checkSecretPath("production/../admin"); // { ok: false, message: "path segment 2 is '..'; ..." }
 */
export function checkSecretPath(
  raw: string,
): { ok: true; path: SecretPath } | { ok: false; message: string } {
  const checked = checkSegments(raw, { label: "path", allowWildcard: false });
  if (!checked.ok) return checked;
  const { segments } = checked;
  return {
    ok: true,
    path: {
      full: raw,
      namespace: segments.slice(0, -1).join("/"),
      key: segments[segments.length - 1]!,
      segments,
    },
  };
}

/**
 * Checks a namespace (a listing prefix) with the same segment rules as a path. The empty string
 * is accepted and means the whole tenant.
 */
export function checkNamespace(
  raw: string,
): { ok: true; namespace: string } | { ok: false; message: string } {
  if (raw === "") return { ok: true, namespace: "" };
  const checked = checkSegments(raw, { label: "namespace", allowWildcard: false });
  if (!checked.ok) return checked;
  return { ok: true, namespace: raw };
}

/**
 * Decodes the path part of a URL exactly once (`decodeURIComponent`). Literal slashes
 * (`production/openai/api-key`) and one percent-encoded segment (`production%2Fopenai%2Fapi-key`)
 * both decode to the same path. Pass the raw, still-encoded text from the request URL (not a
 * router parameter that was already decoded), then give the result to {@link checkSecretPath}:
 * `%2e%2e` decodes to `..` and a double-encoded `%252e` decodes to `%2e`, and both are rejected
 * there.
 */
export function decodePathParam(
  rawUrlPart: string,
): { ok: true; value: string } | { ok: false; message: string } {
  if (typeof rawUrlPart !== "string") return { ok: false, message: "path must be a string" };
  try {
    return { ok: true, value: decodeURIComponent(rawUrlPart) };
  } catch {
    return {
      ok: false,
      message:
        "path contains a malformed percent-escape; every '%' must be followed by two hex digits of valid UTF-8",
    };
  }
}
