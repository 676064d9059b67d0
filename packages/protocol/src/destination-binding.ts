/**
 * Where a secret may be sent (docs/protocol.md, "Credential broker"): a secret's
 * `allowed_destinations` lists origins, each with optional path prefixes. The broker refuses a
 * call whose upstream URL is outside the list, and `call_api_with_secret` checks it before
 * sending the value; a secret without a list may go wherever its other rules allow.
 *
 * @example
 * [{ origin: "https://api.openai.com", path_prefixes: ["/v1/"] }]
 */
export type DestinationBinding = {
  /** `scheme://host[:port]`, http or https, nothing more. */
  origin: string;
  /**
   * Paths the secret may go to at that origin, each starting with `/`; a prefix covers whole
   * segments (`/v1` and `/v1/` cover `/v1/models`, never `/v10`).
   * @default every path
   */
  path_prefixes?: string[] | undefined;
};

/** Most destinations one secret may list, and prefixes one destination may list. */
export const MAX_DESTINATIONS = 20;

/**
 * Checks one destination as a write gives it: the origin is `scheme://host[:port]` (http or
 * https, no path, credentials, query or fragment), each prefix starts with `/` and holds no `..`.
 * Answers the destination normalised (the origin as `URL.origin` spells it) or what to fix.
 */
export function checkDestinationBinding(
  entry: DestinationBinding,
): { ok: true; value: DestinationBinding } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(entry.origin);
  } catch {
    return { ok: false, message: `${entry.origin} is not a URL: expected scheme://host[:port]` };
  }
  const bare =
    url.pathname === "/" &&
    url.search === "" &&
    url.hash === "" &&
    url.username === "" &&
    url.password === "" &&
    !/[/?#]$/.test(entry.origin.replace(/^[a-z]+:\/\//i, ""));
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !bare) {
    return {
      ok: false,
      message: `origin must be scheme://host[:port] only (http or https; put paths in path_prefixes), got ${entry.origin}`,
    };
  }
  const prefixes = entry.path_prefixes;
  for (const prefix of prefixes ?? []) {
    if (!prefix.startsWith("/") || prefix.split("/").some((s) => s === ".." || s === ".")) {
      return { ok: false, message: `path prefix ${prefix} must start with / and hold no . or ..` };
    }
  }
  return {
    ok: true,
    value:
      prefixes === undefined
        ? { origin: url.origin }
        : { origin: url.origin, path_prefixes: prefixes },
  };
}

/** Whole-segment prefix match: `/v1` covers `/v1` and `/v1/x`, never `/v10`. */
export function pathUnderPrefix(pathname: string, prefix: string): boolean {
  if (prefix === "/" || pathname === prefix) return true;
  const base = prefix.endsWith("/") ? prefix : `${prefix}/`;
  return pathname.startsWith(base);
}

/**
 * Whether a secret bound to `bindings` may be sent to `url` (its origin, and its path under one
 * of that origin's prefixes; the query does not matter). `null` (no binding) allows every URL.
 */
export function destinationAllowed(
  bindings: readonly DestinationBinding[] | null,
  url: URL,
): boolean {
  if (bindings === null) return true;
  return bindings.some(
    (binding) =>
      binding.origin === url.origin &&
      (binding.path_prefixes === undefined ||
        binding.path_prefixes.some((prefix) => pathUnderPrefix(url.pathname, prefix))),
  );
}

/** A binding as one line of text (`https://api.x.com/v1/, https://api.x.com/v2/`), for messages and the CLI. */
export function describeDestinations(bindings: readonly DestinationBinding[] | null): string {
  if (bindings === null) return "any destination";
  return bindings
    .flatMap((binding) =>
      (binding.path_prefixes ?? ["/"]).map((prefix) => `${binding.origin}${prefix}`),
    )
    .join(", ");
}
