import { CLIENT_VERSION } from "./version.js";

/** HTTP methods the protocol uses. */
export type HttpMethod = "GET" | "PUT" | "POST" | "PATCH" | "DELETE";

/** Query parameters; `undefined` ones are left out. */
export type QueryParameters = Readonly<Record<string, string | number | undefined>>;

/** What {@link buildRequest} needs. */
export interface BuildRequestInput {
  /** Normalised base URL including `/v1`, without a trailing slash. */
  readonly baseUrl: string;
  readonly method: HttpMethod;
  /** Already-encoded path below the base URL, starting with `/`. */
  readonly path: string;
  readonly query?: QueryParameters | undefined;
  /** JSON body; `undefined` fields are left out. */
  readonly body?: Readonly<Record<string, unknown>> | undefined;
  /** Extra headers, e.g. `If-Match`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Sent as `Authorization: Bearer <credential>`. */
  readonly credential: string;
}

/** A request ready for `fetch`; reused unchanged on every retry. */
export interface BuiltRequest {
  readonly url: string;
  readonly method: HttpMethod;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** The URL's path, e.g. `/v1/secrets/production/db` (no query: cursors stay out of logs). */
  readonly pathname: string;
  /** `METHOD /v1/path`, for messages and logs. */
  readonly description: string;
}

/**
 * Builds one logical request. A write (any method but GET) gets its `Idempotency-Key` here,
 * once per call: it is sent unchanged on every retry, so the server answers a repeat with the
 * first response instead of writing a second version.
 */
export function buildRequest(input: BuildRequestInput): BuiltRequest {
  const { method } = input;
  const url = new URL(input.baseUrl + input.path);
  for (const [name, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: `Bearer ${input.credential}`,
    "x-ass-client": `ts/${CLIENT_VERSION}`,
  };
  if (method !== "GET") headers["idempotency-key"] = globalThis.crypto.randomUUID();
  const body = input.body === undefined ? undefined : JSON.stringify(input.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const { pathname } = url;
  return {
    url: url.toString(),
    method,
    headers,
    body,
    pathname,
    description: `${method} ${pathname}`,
  };
}
