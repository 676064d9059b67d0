import type { CredentialProvider } from "@agentsecretstore/client";

/** The `fetch` shape the openai package accepts. */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** How the key travels: `Authorization: Bearer <key>` (OpenAI) or `api-key: <key>` (Azure). */
export type KeyHeader = "authorization" | "api-key";

/**
 * Wraps `fetch` so that a 401 from the model API makes the provider read the key again and the
 * request go out once more with the fresh key. The openai SDK never retries a 401 itself, and
 * after a rotation the cached key is exactly what it would keep sending.
 *
 * A request whose body is a stream cannot be sent twice: its 401 is returned as it came, and
 * the refreshed key serves the next request.
 */
export function refreshOnUnauthorized(
  provider: CredentialProvider,
  options: { fetch?: FetchFunction | undefined; header?: KeyHeader } = {},
): FetchFunction {
  const baseFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const header = options.header ?? "authorization";

  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const sentKey = bearerKeyIn(headers);
    // The SDK sends a function-provided key as a bearer token; Azure wants it in `api-key`.
    if (sentKey !== null) setKey(headers, header, sentKey);
    const response = await baseFetch(input, { ...init, headers });
    if (response.status !== 401) return response;

    const freshKey = await provider.refresh();
    if (freshKey === sentKey || !canResend(init?.body)) return response;

    await response.body?.cancel();
    setKey(headers, header, freshKey);
    return baseFetch(input, { ...init, headers });
  };
}

function bearerKeyIn(headers: Headers): string | null {
  const raw = headers.get("authorization");
  return raw === null ? null : raw.replace(/^Bearer\s+/i, "");
}

/** Puts the key where the API expects it; Azure keys go in `api-key`, never as a bearer token. */
function setKey(headers: Headers, header: KeyHeader, key: string): void {
  if (header === "authorization") {
    headers.set("authorization", `Bearer ${key}`);
  } else {
    headers.delete("authorization");
    headers.set("api-key", key);
  }
}

function canResend(body: RequestInit["body"] | undefined): boolean {
  return !(body instanceof ReadableStream);
}
