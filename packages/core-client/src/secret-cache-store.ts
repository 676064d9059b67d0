import type { Logger } from "./logger.js";
import type { Secret } from "./models/secret.js";

/** Identifies one cached read: who read which version of which path. */
export interface SecretCacheKey {
  readonly path: string;
  /** `undefined` = the current version. */
  readonly version: number | undefined;
  /** A number standing for the credential, never the credential itself. */
  readonly credentialId: number;
}

/**
 * What `AgentVault`'s `cache` option takes: `createSecretCache({ ttl })` from
 * `@agentsecretstore/client/cache`, or your own. One cache belongs to one client: the client
 * drops entries on its writes and everything on `close()`.
 */
export interface SecretCacheStore {
  /** Serves `key` from memory when fresh; otherwise calls `load` and remembers its result. */
  read(key: SecretCacheKey, load: () => Promise<Secret>, logger: Logger): Promise<Secret>;
  /** Drops every entry for `path` (any credential, any version). */
  invalidatePath(path: string): void;
  /** Drops every entry below `namespace` (at any depth; `""` = every entry). */
  invalidateNamespace(namespace: string): void;
  /** Drops everything, so no value outlives the client in memory. */
  clear(): void;
}
