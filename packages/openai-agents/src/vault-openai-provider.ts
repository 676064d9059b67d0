import {
  type ApiKeyProvider,
  defaultSecretRegistry,
  keyedFetch,
  type ProviderFetch,
  type SecretRegistry,
} from "@agentsecretstore/agent-tools";
import { OpenAIProvider, type OpenAIProviderOptions } from "@openai/agents";

/** The options an `openai` client constructor takes that this helper fills in. */
export type OpenAIClientOptions = {
  apiKey?: () => Promise<string>;
  fetch?: ProviderFetch;
} & Record<string, unknown>;

/** Options of {@link vaultOpenAIProvider}. */
export interface VaultOpenAIProviderOptions {
  /**
   * Where the API key comes from: `createCredentialProvider(vault, "production/openai/api-key",
   * { token })` from `@agentsecretstore/client`, or any function returning the key (with
   * `refresh()` to bypass its cache after a 401).
   */
  credential: ApiKeyProvider;
  /**
   * Other options of the `openai` client (`baseURL`, `organization`, `timeout`…), without
   * `apiKey`. A `fetch` given here sends the requests.
   * @default {}
   */
  clientOptions?: Record<string, unknown> & { fetch?: ProviderFetch };
  /**
   * Options of the Agents SDK's `OpenAIProvider` (`useResponses`…), without `apiKey` and
   * `openAIClient`.
   * @default {}
   */
  providerOptions?: Omit<OpenAIProviderOptions, "apiKey" | "openAIClient">;
  /**
   * Where every key read is registered, for the redaction to mask.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
}

/**
 * The Agents SDK's `OpenAIProvider` with the model API key from the vault: the `openai` client
 * (the class you pass, the one the Agents SDK uses) reads the key lazily before each request
 * from the credential's cache, so a rotation reaches a running agent, and when the API answers
 * 401 the key is read again and the request sent once more. Use it as a `Runner`'s
 * `modelProvider`, or with `setDefaultModelProvider`.
 *
 * @example
 * import OpenAI from "openai";
 * const modelProvider = vaultOpenAIProvider(OpenAI, {
 *   credential: createCredentialProvider(vault, "production/openai/api-key"),
 * });
 * const runner = new Runner({ modelProvider });
 */
export function vaultOpenAIProvider<Client>(
  OpenAIClient: new (options: OpenAIClientOptions) => Client,
  options: VaultOpenAIProviderOptions,
): OpenAIProvider {
  const { credential } = options;
  if (typeof credential !== "function") {
    throw new TypeError(
      "vaultOpenAIProvider needs a credential: createCredentialProvider(vault, path, { token }) from @agentsecretstore/client, or a function returning the key",
    );
  }
  const registry = options.registry ?? defaultSecretRegistry;
  const clientOptions = options.clientOptions ?? {};
  const client = new OpenAIClient({
    ...clientOptions,
    // openai calls a key function before every request; the credential caches the key.
    apiKey: async () => {
      const key = await credential();
      registry.add(key);
      return key;
    },
    fetch: keyedFetch(credential, {
      registry,
      ...(clientOptions.fetch !== undefined && { fetch: clientOptions.fetch }),
    }),
  });
  return new OpenAIProvider({
    ...options.providerOptions,
    openAIClient: client as unknown as NonNullable<OpenAIProviderOptions["openAIClient"]>,
  });
}
