import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { notFound, VaultError, validationError } from "../vault/vault-error.js";
import type { ResolvedBrokerRoute } from "./broker-route.js";
import type { IncomingCall } from "./forward-call.js";

const PREFIX = "/v1/broker/";

/** What a request to `/v1/broker/…` is, before anything is checked. */
export type RawBrokerRequest = {
  method: string;
  /** The URL as sent (not decoded). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Readable | undefined;
};

/**
 * The route a request names and the call it makes, checked against the route's methods, path
 * prefixes and body limit: an unknown route is 404, a method or path the route does not allow
 * 400 (nothing spent, nothing sent). The path is kept as sent; a `.` or `..` segment, or one
 * that decodes to a slash, is refused so that a prefix such as `/v1/` means what it says.
 */
export function incomingCall(
  routes: ReadonlyMap<string, ResolvedBrokerRoute>,
  request: RawBrokerRequest,
): { route: ResolvedBrokerRoute; call: IncomingCall } {
  const queryAt = request.url.indexOf("?");
  const rawPath = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const search = queryAt === -1 ? "" : request.url.slice(queryAt);
  const afterPrefix = rawPath.slice(PREFIX.length);
  const slash = afterPrefix.indexOf("/");
  const name = slash === -1 ? afterPrefix : afterPrefix.slice(0, slash);
  const rest = slash === -1 ? "/" : afterPrefix.slice(slash);
  const route = routes.get(name);
  if (route === undefined) {
    const known = [...routes.keys()];
    throw notFound(
      `No broker route is named '${name}' (${known.length === 0 ? "none is configured" : `configured: ${known.join(", ")}`})`,
    );
  }
  checkRest(rest);
  const method = request.method.toUpperCase();
  if (route.methods !== null && !route.methods.has(method)) {
    throw validationError(
      [{ field: "method", message: `allowed: ${[...route.methods].join(", ")}` }],
      `Broker route ${route.name} does not allow ${method}`,
    );
  }
  if (route.pathPrefixes.length > 0 && !route.pathPrefixes.some((p) => rest.startsWith(p))) {
    throw validationError(
      [{ field: "path", message: `must start with one of ${route.pathPrefixes.join(", ")}` }],
      `Broker route ${route.name} does not allow the path ${rest}`,
    );
  }
  const length = Number(request.headers["content-length"] ?? 0);
  if (length > route.maxBodyBytes) {
    throw new VaultError(
      "PAYLOAD_TOO_LARGE",
      `The request body is larger than broker route ${route.name}'s ${route.maxBodyBytes} bytes`,
      { limit: route.maxBodyBytes },
    );
  }
  return {
    route,
    call: { method, rest, search, headers: request.headers, body: request.body },
  };
}

function checkRest(rest: string): void {
  for (const segment of rest.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw validationError([{ field: "path", message: "holds a malformed percent-encoding" }]);
    }
    if (decoded === "." || decoded === ".." || /[/\\]/.test(decoded)) {
      throw validationError([
        { field: "path", message: "no '.' or '..' segment, and no encoded slash" },
      ]);
    }
  }
}
