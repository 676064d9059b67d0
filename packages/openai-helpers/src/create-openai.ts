import { AzureOpenAI, OpenAI } from "openai";
import { type BrokeredOpenAIOptions, brokeredOpenAI } from "./brokered-openai.js";
import { openAIKeyProvider, type VaultKeyOptions } from "./key-provider.js";
import { refreshOnUnauthorized } from "./refresh-on-unauthorized.js";

type OpenAIOptions = NonNullable<ConstructorParameters<typeof OpenAI>[0]>;
type AzureOpenAIOptions = NonNullable<ConstructorParameters<typeof AzureOpenAI>[0]>;

/**
 * Options of {@link createOpenAI}: where the key lives in the vault, plus any `OpenAI` client
 * option except `apiKey` (`baseURL` for an OpenAI-compatible server, `timeout`, `maxRetries`…).
 */
export type CreateOpenAIOptions = VaultKeyOptions & Omit<OpenAIOptions, "apiKey">;

/** Options of {@link createAzureOpenAI}: the vault key plus `AzureOpenAI` options except `apiKey`. */
export type CreateAzureOpenAIOptions = VaultKeyOptions &
  Omit<AzureOpenAIOptions, "apiKey" | "azureADTokenProvider">;

/**
 * A real `OpenAI` client whose key comes from the vault: read lazily on the first request,
 * cached, re-read after a rotation, and, when the API answers 401, read again and the request
 * sent once more. The key never appears in the client's options, logs or errors.
 *
 * With `broker` (a vault broker route's name) instead of `path`, the client calls through the
 * vault's credential broker with the vault credential as its API key: the process never holds
 * the provider's key at all.
 *
 * @example
 * const openai = createOpenAI({ vault, path: "production/openai/api-key", token });
 * const reply = await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
 * const brokered = createOpenAI({ vault, broker: "openai", token }); // a secrets:use token
 */
export function createOpenAI(options: CreateOpenAIOptions | BrokeredOpenAIOptions): OpenAI {
  if ("broker" in options) return brokeredOpenAI(options);
  const { vault, path, token, refreshAfter, fetch, ...clientOptions } = options;
  const apiKey = openAIKeyProvider({ vault, path, token, refreshAfter });
  return new OpenAI({
    ...clientOptions,
    apiKey,
    fetch: refreshOnUnauthorized(apiKey, { fetch }),
  });
}

/**
 * A real `AzureOpenAI` client whose key comes from the vault, sent in Azure's `api-key` header,
 * with the same lazy reading, rotation and 401 handling as {@link createOpenAI}.
 */
export function createAzureOpenAI(options: CreateAzureOpenAIOptions): AzureOpenAI {
  const { vault, path, token, refreshAfter, fetch, ...clientOptions } = options;
  const apiKey = openAIKeyProvider({ vault, path, token, refreshAfter });
  return new AzureOpenAI({
    ...clientOptions,
    // AzureOpenAI takes a key function only as a token provider, which it sends as a bearer
    // token; refreshOnUnauthorized moves it into the `api-key` header that Azure keys need.
    azureADTokenProvider: apiKey,
    fetch: refreshOnUnauthorized(apiKey, { fetch, header: "api-key" }),
  });
}
