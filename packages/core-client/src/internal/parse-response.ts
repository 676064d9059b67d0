import type { RawResponse } from "./send-with-timeout.js";

/** A response with its JSON body decoded. */
export interface ParsedResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The server's `x-request-id`, or `null`. */
  readonly requestId: string | null;
  /** The decoded JSON body; `null` when empty (204) or not JSON (a proxy's HTML page). */
  readonly body: unknown;
}

/** Decodes a raw response. Never throws: an undecodable body becomes `null`. */
export function parseResponse(raw: RawResponse): ParsedResponse {
  return {
    status: raw.status,
    headers: raw.headers,
    requestId: raw.headers.get("x-request-id"),
    body: decodeJson(raw.text),
  };
}

function decodeJson(text: string): unknown {
  // An empty body (204) does not parse either.
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
