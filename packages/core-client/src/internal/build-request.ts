import { createIdempotencyKey, isWriteMethod } from "./idempotency-key.js";
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
  /** `METHOD /v1/path`, for messages and logs (no query: cursors stay out of logs). */
  readonly description: string;
}

/** Builds one logical request. A write gets its `Idempotency-Key` here, once per call. */
export function buildRequest(input: BuildRequestInput): BuiltRequest {
  const url = new URL(`${input.baseUrl}${input.path}`);
  for (const [name, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: `Bearer ${input.credential}`,
    "x-ass-client": `ts/${CLIENT_VERSION}`,
  };
  if (isWriteMethod(input.method)) headers["idempotency-key"] = createIdempotencyKey();
  let body: string | undefined;
  if (input.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(input.body);
  }
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  return {
    url: url.toString(),
    method: input.method,
    headers,
    body,
    description: `${input.method} ${url.pathname}`,
  };
}
