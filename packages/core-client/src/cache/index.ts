// The public API of @agentsecretstore/client/cache: the opt-in in-memory cache of getSecret
// results. Its own entry point, so that clients without a cache do not ship it.
import type { AgentVaultCacheOptions } from "../agent-vault-options.js";
import { checkCache } from "../internal/option-checks.js";
import { SecretCache } from "../internal/secret-cache.js";
import { silentLogger } from "../logger.js";
import type { SecretCacheStore } from "../secret-cache-store.js";

export type { AgentVaultCacheOptions } from "../agent-vault-options.js";
export type { SecretCacheKey, SecretCacheStore } from "../secret-cache-store.js";

/**
 * An in-memory cache for one `AgentVault`'s `getSecret`: fresh entries are served without a
 * request; when a refresh fails for a transient reason (network, 429, 5xx) the last good value
 * is served, with a warning to the client's logger, until the secret itself expires. Writes,
 * rotations, imports and deletions through the client drop what they touch.
 *
 * @throws AgentVaultConfigurationError for a negative `ttl`, a `jitter` outside 0..1 or a
 * `maxEntries` below 1
 * @example
 * const vault = new AgentVault({ cache: createSecretCache({ ttl: 60_000 }) });
 */
export function createSecretCache(options: AgentVaultCacheOptions): SecretCacheStore {
  return new SecretCache(checkCache(options), { logger: silentLogger });
}
