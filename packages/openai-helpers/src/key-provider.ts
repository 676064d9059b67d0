import {
  type CredentialProvider,
  type CredentialProviderOptions,
  createCredentialProvider,
  type SecretReader,
} from "@agentsecretstore/client";

/**
 * The vault client the key is read with: an `AgentVault`, or a subagent's client holding only a
 * token (only its `getSecret()` is used).
 */
export type CredentialSource = SecretReader;

/** Where an OpenAI key lives in the vault, and how to read it. */
export type VaultKeyOptions = {
  /** The vault client that reads the key. */
  vault: CredentialSource;
  /** Path of the secret holding the key, e.g. `"production/openai/api-key"`. */
  path: string;
  /**
   * Scoped token to read the key with (what an orchestrator hands a subagent).
   * @default the vault client's own credential
   */
  token?: string | undefined;
  /**
   * Re-read the key after this many milliseconds, so a rotation reaches a running client.
   * @default 300_000 (5 minutes)
   */
  refreshAfter?: number | undefined;
};

/**
 * The OpenAI key as a lazy, cached credential provider: pass it as `apiKey` to a client you
 * build yourself (`new OpenAI({ apiKey })`, `new ChatOpenAI({ apiKey })`). It reads the vault on
 * the first request, not before, and never puts the key in a log or an error.
 *
 * @example
 * const apiKey = openAIKeyProvider({ vault, path: "production/openai/api-key", token });
 * const openai = new OpenAI({ apiKey });
 */
export function openAIKeyProvider(options: VaultKeyOptions): CredentialProvider {
  const providerOptions: CredentialProviderOptions = {};
  if (options.token !== undefined) providerOptions.token = options.token;
  if (options.refreshAfter !== undefined) providerOptions.refreshAfter = options.refreshAfter;
  return createCredentialProvider(options.vault, options.path, providerOptions);
}
