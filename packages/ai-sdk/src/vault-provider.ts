import {
  type ApiKeyProvider,
  defaultSecretRegistry,
  keyedFetch,
  type ProviderFetch,
  type SecretRegistry,
} from "@agentsecretstore/agent-tools";

// What the provider is built with instead of the key: it never leaves this process, since the
// fetch below replaces it with the key from the vault in every request.
const PLACEHOLDER = "ass-vault-managed-key";

/** The settings every `@ai-sdk/*` provider factory takes that this helper fills in. */
export interface KeyedProviderSettings {
  apiKey?: string;
  fetch?: ProviderFetch;
}

/** A provider factory such as `createOpenAI`: it takes settings with `apiKey` and `fetch`. */
// biome-ignore lint/suspicious/noExplicitAny: any provider's own settings type
export type ProviderFactory = (settings?: any) => unknown;

/** The settings type of a provider factory. */
export type SettingsOf<Factory extends ProviderFactory> = NonNullable<Parameters<Factory>[0]>;

/** Options of {@link vaultProvider}. */
export interface VaultProviderOptions<Settings> {
  /**
   * Where the API key comes from: `createCredentialProvider(vault, "production/openai/api-key",
   * { token })` from `@agentsecretstore/client`, or any function returning the key (with
   * `refresh()` to bypass its cache after a 401).
   */
  credential: ApiKeyProvider;
  /**
   * The provider's other settings (`baseURL`, `headers`, `organization`…), without `apiKey`.
   * A `fetch` given here sends the requests.
   * @default {}
   */
  settings?: Omit<Settings, "apiKey">;
  /**
   * Where every key read is registered, for the redaction middleware and telemetry to mask.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
}

/**
 * An AI SDK provider (`createOpenAI`, `createAnthropic`, any `@ai-sdk/*` factory that takes
 * `apiKey` and `fetch`) whose API key comes from the vault: read on the first request, not
 * before; read before each request from the credential's cache, so a rotation reaches a running
 * agent; and when the model API answers 401, read again and the request sent once more. The key
 * is never in the provider's settings: the provider holds a placeholder, replaced in each
 * request wherever the provider put it (a header such as `Authorization` or `x-api-key`, or the
 * URL).
 *
 * @example
 * import { createOpenAI } from "@ai-sdk/openai";
 * const openai = vaultProvider(createOpenAI, {
 *   credential: createCredentialProvider(vault, "production/openai/api-key"),
 *   registry,
 * });
 * const { text } = await generateText({ model: openai("gpt-4o-mini"), prompt });
 */
export function vaultProvider<Factory extends ProviderFactory>(
  createProvider: Factory,
  options: VaultProviderOptions<SettingsOf<Factory>>,
): ReturnType<Factory> {
  if (typeof options?.credential !== "function") {
    throw new TypeError(
      "vaultProvider needs a credential: createCredentialProvider(vault, path, { token }) from @agentsecretstore/client, or a function returning the key",
    );
  }
  const settings = (options.settings ?? {}) as KeyedProviderSettings;
  const fetch = keyedFetch(options.credential, {
    placeholder: PLACEHOLDER,
    registry: options.registry ?? defaultSecretRegistry,
    ...(settings.fetch !== undefined && { fetch: settings.fetch }),
  });
  return createProvider({ ...settings, apiKey: PLACEHOLDER, fetch }) as ReturnType<Factory>;
}
