import type { Logger } from "../logger.js";
import type { Secret } from "../models/secret.js";
import type { SecretCacheKey, SecretCacheStore } from "../secret-cache-store.js";
import { isRetryable } from "./retry-policy.js";

/** Options of the opt-in `getSecret` cache (the `cache` option of `AgentVault`). */
export interface SecretCacheOptions {
  /** How long a read secret is served from memory, in ms. */
  readonly ttl: number;
  /**
   * Fraction of `ttl` by which each entry's lifetime is randomly shortened (0..1), so that
   * many clients started together do not all refresh at the same moment.
   * @default 0.1
   */
  readonly jitter?: number | undefined;
  /**
   * Most entries kept; the oldest is dropped first.
   * @default 1000
   */
  readonly maxEntries?: number | undefined;
}

interface Entry {
  readonly path: string;
  readonly secret: Secret;
  readonly freshUntil: number;
}

/** Collaborators, injectable for tests. */
export interface SecretCacheDependencies {
  readonly logger: Logger;
  readonly random?: (() => number) | undefined;
  readonly now?: (() => number) | undefined;
}

const DEFAULT_JITTER = 0.1;
const DEFAULT_MAX_ENTRIES = 1000;

/**
 * In-memory cache of read secrets. Fresh entries are served without a request. After
 * expiry the secret is read again; when that refresh fails for a transient reason (network,
 * 429, 5xx) the last good value is served while the secret itself has not expired, with a
 * warning. Writes, rotations and deletions through the same client drop the path's entries.
 */
export class SecretCache implements SecretCacheStore {
  readonly #entries = new Map<string, Entry>();
  // Bumped on every invalidation of a path (or of a namespace above it), so a read that
  // started before a write cannot put the old value back after the write dropped it.
  readonly #pathGenerations = new Map<string, number>();
  readonly #namespaceGenerations = new Map<string, number>();
  readonly #ttl: number;
  readonly #jitter: number;
  readonly #maxEntries: number;
  readonly #logger: Logger;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: SecretCacheOptions, dependencies: SecretCacheDependencies) {
    this.#ttl = options.ttl;
    this.#jitter = Math.min(Math.max(options.jitter ?? DEFAULT_JITTER, 0), 1);
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#logger = dependencies.logger;
    this.#random = dependencies.random ?? Math.random;
    this.#now = dependencies.now ?? Date.now;
  }

  /**
   * Serves `key` from memory when fresh; otherwise calls `load` and remembers its result.
   * Warnings go to `logger` (the client's), else to the one this cache was made with.
   */
  async read(
    key: SecretCacheKey,
    load: () => Promise<Secret>,
    logger: Logger = this.#logger,
  ): Promise<Secret> {
    const id = entryId(key);
    const entry = this.#entries.get(id);
    const now = this.#now();
    if (entry !== undefined && now < entry.freshUntil && !isExpired(entry.secret, now)) {
      return entry.secret;
    }
    const generation = this.#generationOf(key.path);
    let secret: Secret;
    try {
      secret = await load();
    } catch (error) {
      if (entry !== undefined && isRetryable(error) && !isExpired(entry.secret, this.#now())) {
        logger.warn("vault refresh failed; serving the cached secret", {
          path: key.path,
          version: entry.secret.version,
          code: error.code,
          requestId: error.requestId,
        });
        return entry.secret;
      }
      this.#entries.delete(id);
      throw error;
    }
    if (this.#generationOf(key.path) === generation) this.#store(id, key.path, secret);
    return secret;
  }

  /** Drops every entry for `path` (any credential, any version). */
  invalidatePath(path: string): void {
    this.#pathGenerations.set(path, (this.#pathGenerations.get(path) ?? 0) + 1);
    for (const [id, entry] of this.#entries) {
      if (entry.path === path) this.#entries.delete(id);
    }
  }

  /** Drops every entry below `namespace` (at any depth; `""` = every entry). */
  invalidateNamespace(namespace: string): void {
    this.#namespaceGenerations.set(namespace, (this.#namespaceGenerations.get(namespace) ?? 0) + 1);
    const prefix = namespace === "" ? "" : `${namespace}/`;
    for (const [id, entry] of this.#entries) {
      if (entry.path.startsWith(prefix)) this.#entries.delete(id);
    }
  }

  /** Drops everything (on close), so no value outlives the client in memory. */
  clear(): void {
    this.#entries.clear();
    this.#pathGenerations.clear();
    this.#namespaceGenerations.clear();
  }

  /** Number of entries held (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Changes whenever `path` or a namespace above it is invalidated: generations only grow,
   * so their sum does too.
   */
  #generationOf(path: string): number {
    let generation =
      (this.#pathGenerations.get(path) ?? 0) + (this.#namespaceGenerations.get("") ?? 0);
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      generation += this.#namespaceGenerations.get(path.slice(0, slash)) ?? 0;
    }
    return generation;
  }

  #store(id: string, path: string, secret: Secret): void {
    const lifetime = this.#ttl * (1 - this.#jitter * this.#random());
    this.#entries.delete(id); // re-insert, so Map order is oldest-first for eviction
    this.#entries.set(id, { path, secret, freshUntil: this.#now() + lifetime });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}

function entryId(key: SecretCacheKey): string {
  return `${key.credentialId}\u0000${key.version ?? "current"}\u0000${key.path}`;
}

function isExpired(secret: Secret, now: number): boolean {
  return secret.expiresAt !== null && secret.expiresAt.getTime() <= now;
}
