/**
 * Where a model provider's API key comes from: `createCredentialProvider(vault, path,
 * { token })` from `@agentsecretstore/client`, or any function returning the key. Called
 * before each model call, so it should cache; `refresh()` (optional) must bypass the cache
 * and is used after the model API answered 401.
 */
export type ApiKeyProvider = (() => Promise<string>) & {
  /** Read the key again now, bypassing any cache. */
  refresh?: () => Promise<string>;
};
