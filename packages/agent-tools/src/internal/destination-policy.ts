import { BROKER_ROUTE_NAME, pathUnderPrefix, patternCovers } from "@agentsecretstore/protocol";
import type { AllowedDestination, HttpMethod } from "../vault-tools-options.js";

/** An allowed destination with its origin parsed and its defaults applied. */
export interface Destination {
  readonly origin: string;
  readonly pathPrefixes: readonly string[];
  readonly methods: readonly HttpMethod[] | undefined;
  readonly secretPaths: readonly string[] | undefined;
  /** The vault broker route calls go through, or `undefined` to send the secret directly. */
  readonly broker: string | undefined;
}

export type DestinationCheck =
  | { readonly allowed: true; readonly url: URL; readonly broker: string | undefined }
  | { readonly allowed: false; readonly reason: string };

// Percent-encoded slashes, backslashes, dots and percent signs (double encoding), and dot
// segments with path parameters (`..;`, which some servers resolve as `..`), can make a server
// see another path than the one checked here; a URL that needs them is refused, not interpreted.
const ENCODED_SEPARATOR = /%(2f|5c|2e|25)/i;
const DOT_SEGMENT_WITH_PARAMETERS = /(^|\/)\.{1,2};/;

/** Checks the developer's list once, when the tools are made; a mistake there throws. */
export function parseDestinations(destinations: readonly AllowedDestination[]): Destination[] {
  return destinations.map((destination) => {
    let url: URL;
    try {
      url = new URL(destination.origin);
    } catch {
      throw new TypeError(`allowedDestinations: ${destination.origin} is not a URL`);
    }
    const isBare = url.pathname === "/" && url.search === "" && url.hash === "";
    if ((url.protocol !== "https:" && url.protocol !== "http:") || !isBare || url.username !== "") {
      throw new TypeError(
        `allowedDestinations: origin must be scheme://host[:port] only (put paths in pathPrefixes), got ${destination.origin}`,
      );
    }
    const pathPrefixes = destination.pathPrefixes ?? ["/"];
    for (const prefix of pathPrefixes) {
      if (!prefix.startsWith("/")) {
        throw new TypeError(`allowedDestinations: path prefix ${prefix} must start with /`);
      }
    }
    if (destination.broker !== undefined && !BROKER_ROUTE_NAME.test(destination.broker)) {
      throw new TypeError(
        `allowedDestinations: broker must be a route name (a-z, 0-9, - and _), got ${destination.broker}`,
      );
    }
    return {
      origin: url.origin,
      pathPrefixes,
      methods: destination.methods,
      secretPaths: destination.secretPaths,
      broker: destination.broker,
    };
  });
}

/** Whether the model's request may go out with the credential of `secretPath`. */
export function checkDestination(
  destinations: readonly Destination[],
  rawUrl: string,
  method: HttpMethod,
  secretPath: string,
): DestinationCheck {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return refuse(destinations, `${rawUrl} is not an absolute URL.`);
  }
  if (url.username !== "" || url.password !== "") {
    return refuse(destinations, "URLs with user names or passwords are not allowed.");
  }
  if (ENCODED_SEPARATOR.test(url.pathname) || DOT_SEGMENT_WITH_PARAMETERS.test(url.pathname)) {
    return refuse(
      destinations,
      "Percent-encoded slashes, dots or percent signs, and '.;' or '..;' segments, are not allowed in the path.",
    );
  }
  const sameOrigin = destinations.filter((destination) => destination.origin === url.origin);
  if (sameOrigin.length === 0)
    return refuse(destinations, `${url.origin} is not an allowed destination.`);
  const matching = sameOrigin.filter((destination) =>
    destination.pathPrefixes.some((prefix) => pathUnderPrefix(url.pathname, prefix)),
  );
  if (matching.length === 0)
    return refuse(destinations, `The path ${url.pathname} is not allowed there.`);
  const withMethod = matching.filter(
    (destination) => destination.methods === undefined || destination.methods.includes(method),
  );
  if (withMethod.length === 0) return refuse(destinations, `${method} is not allowed there.`);
  const withSecret = withMethod.filter(
    (destination) =>
      destination.secretPaths === undefined ||
      destination.secretPaths.some((pattern) => patternCovers(pattern, secretPath)),
  );
  if (withSecret.length === 0) {
    return refuse(destinations, `The secret ${secretPath} may not be sent to ${url.origin}.`);
  }
  // The first matching entry decides whether the call goes through a broker route.
  return { allowed: true, url, broker: withSecret[0]?.broker };
}

function refuse(destinations: readonly Destination[], reason: string): DestinationCheck {
  const allowed = destinations
    .map((destination) => {
      const methods = destination.methods?.join(",") ?? "any method";
      const paths = destination.pathPrefixes.map((prefix) => `${destination.origin}${prefix}`);
      const secrets =
        destination.secretPaths === undefined
          ? ""
          : ` (secrets ${destination.secretPaths.join(", ")})`;
      return `${methods} ${paths.join(" ")}${secrets}`;
    })
    .join("; ");
  return { allowed: false, reason: `${reason} Allowed: ${allowed || "nothing"}.` };
}
