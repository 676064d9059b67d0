import type { ApiKeyProvider } from "./api-key-provider.js";
import { defaultSecretRegistry, type SecretRegistry } from "./secret-registry.js";

/** The `fetch` shape model provider SDKs accept (the AI SDK's providers, `openai`). */
export type ProviderFetch = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** Options of {@link keyedFetch}. */
export interface KeyedFetchOptions {
  /**
   * The text the provider SDK was given as its API key (it needs one to build requests): in
   * every header value and in the URL it is replaced by the key read from the vault. Without
   * it, the SDK is expected to put the key in itself (an `apiKey` function, as `openai` takes).
   * @default none
   */
  placeholder?: string;
  /**
   * Where every key read is registered, so that the redaction masks it.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
  /**
   * The `fetch` that sends the requests.
   * @default globalThis.fetch
   */
  fetch?: ProviderFetch;
}

/**
 * A `fetch` for a model provider SDK that puts the API key from the vault into each request
 * and recovers from a rotation: the key is read (from the provider's cache) before every
 * request, and when the API answers 401 the provider is refreshed and the request is sent once
 * more with the fresh key. A request whose body is a stream cannot be sent twice: its 401 is
 * returned as it came, and the fresh key serves the next request. The key never appears in an
 * option, a log or an error of this function.
 *
 * @example
 * const apiKey = createCredentialProvider(vault, "production/openai/api-key");
 * const openai = createOpenAI({ apiKey: "vault", fetch: keyedFetch(apiKey, { placeholder: "vault" }) });
 */
export function keyedFetch(
  credential: ApiKeyProvider,
  options: KeyedFetchOptions = {},
): ProviderFetch {
  const registry = options.registry ?? defaultSecretRegistry;
  const baseFetch: ProviderFetch =
    options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const read = async (reader: () => Promise<string>): Promise<string> => {
    const key = await reader();
    if (typeof key !== "string" || key.length === 0) {
      throw new TypeError("The API key provider returned no key");
    }
    registry.add(key);
    return key;
  };

  return async (input, init) => {
    const key = await read(credential);
    const request = new KeyedRequest(input, init);
    if (options.placeholder !== undefined) request.replace(options.placeholder, key);
    const response = await baseFetch(request.target, request.init);
    if (response.status !== 401 || init?.body instanceof ReadableStream) return response;

    const freshKey = await read(() => (credential.refresh ?? credential).call(credential));
    // The same key again would get the same 401; a request without the key cannot be mended.
    if (freshKey === key || !request.replace(key, freshKey)) return response;
    await response.body?.cancel();
    return baseFetch(request.target, request.init);
  };
}

/** A request's URL and headers, in which one text can be swapped for another. */
class KeyedRequest {
  #url: string;
  readonly #input: string | URL | Request;
  readonly #headers: Headers;
  readonly #init: RequestInit | undefined;

  constructor(input: string | URL | Request, init: RequestInit | undefined) {
    this.#input = input;
    this.#init = init;
    this.#url = input instanceof Request ? input.url : String(input);
    this.#headers = new Headers(input instanceof Request ? input.headers : undefined);
    for (const [name, value] of new Headers(init?.headers)) this.#headers.set(name, value);
  }

  get target(): string | Request {
    return this.#input instanceof Request ? new Request(this.#url, this.#input) : this.#url;
  }

  get init(): RequestInit {
    return { ...this.#init, headers: this.#headers };
  }

  /** Replaces `from` by `to` in the URL and every header value; whether anything changed. */
  replace(from: string, to: string): boolean {
    let changed = false;
    if (this.#url.includes(from)) {
      this.#url = this.#url.split(from).join(to);
      changed = true;
    }
    for (const [name, value] of [...this.#headers]) {
      if (!value.includes(from)) continue;
      this.#headers.set(name, value.split(from).join(to));
      changed = true;
    }
    return changed;
  }
}
