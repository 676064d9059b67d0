import {
  AgentVaultAuthError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
} from "./errors.js";
import { INSPECT_CUSTOM } from "./internal/redact.js";
import { isRetryable } from "./internal/retry-policy.js";

/**
 * The part of `AgentVault` a credential provider needs: one read. Typed structurally so a
 * provider can wrap anything that reads secrets (a subagent's `AgentVault`, a test double).
 */
export type SecretReader = {
  getSecret(
    path: string,
    options?: { token?: string; version?: number; signal?: AbortSignal },
  ): Promise<{ value: string; version: number; expiresAt: Date | null }>;
};

/** Options of {@link createCredentialProvider}. */
export type CredentialProviderOptions = {
  /**
   * Scoped token to read the secret with, instead of the vault client's own credential.
   * @default the client's credential
   */
  token?: string;
  /**
   * Pin one version of the secret. A pinned provider still re-reads after `refreshAfter`
   * (the version may have been retired), but never moves to a newer version.
   * @default the current version
   */
  version?: number;
  /**
   * Re-read the secret once the cached value is this old, in milliseconds, so that a
   * rotation is picked up without a restart. The secret's own `expiresAt` forces a re-read
   * earlier when it comes first.
   * @default 300_000 (5 minutes)
   */
  refreshAfter?: number;
  /** Aborts every read the provider makes; once aborted, each call rejects. */
  signal?: AbortSignal;
};

/** What the provider tells about the value it holds; never the value itself. */
export type CredentialMetadata = {
  /** Version of the secret the cached value belongs to. */
  readonly version: number;
  /** When the cached value was read from the vault. */
  readonly fetchedAt: Date;
  /** When the secret stops being valid, or `null` when it does not expire. */
  readonly expiresAt: Date | null;
};

/**
 * A lazily fetched, cached credential. Call it to get the secret's value: it can be passed
 * wherever a library accepts `() => Promise<string>` as a key (openai's `apiKey`, a model
 * constructor's key option).
 */
export type CredentialProvider = {
  (): Promise<string>;
  /** The secret path the provider reads. */
  readonly path: string;
  /**
   * Fetch a fresh value now, bypassing the cache (for example after the model API
   * answered 401 because the key was rotated). Never falls back to the cached value.
   */
  refresh(): Promise<string>;
  /** Drop the cached value; the next call fetches again. */
  invalidate(): void;
  /** Metadata of the cached value, `undefined` before the first successful fetch. */
  readonly current: CredentialMetadata | undefined;
};

const DEFAULT_REFRESH_AFTER_MS = 5 * 60 * 1000;
// After a refresh failed for a transient reason and the cached value was served, wait this
// long before asking the vault again, so an outage does not add the client's whole retry
// budget to every model call.
const STALE_RETRY_DELAY_MS = 30 * 1000;

/**
 * Create a credential provider for the secret at `path`.
 *
 * Behaviour:
 * - Nothing is fetched at creation; the first call reads the secret.
 * - The value is cached and re-read after `refreshAfter` ms, or as soon as the secret's
 *   `expiresAt` has passed, whichever comes first, so rotations reach running agents.
 * - Concurrent calls share one in-flight read.
 * - When a re-read fails with 401, 403 or 404 (`AgentVaultAuthError`,
 *   `AgentVaultPermissionError`, `AgentVaultNotFoundError`) the credential is gone (revoked token,
 *   narrowed scope, deleted secret): the cache is dropped and the error is thrown.
 * - When a re-read fails for a transient reason (`AgentVaultNetworkError` incl. timeouts,
 *   `AgentVaultRateLimitError`, `AgentVaultServerError`) the
 *   cached value is served while it has not passed its `expiresAt`, and the vault is asked
 *   again after at most 30 s; an expired value is never served. Any other error is thrown.
 * - `refresh()` never falls back: it resolves with a newly read value or rejects.
 *
 * The value lives only inside the provider's closure: `String(provider)`,
 * `JSON.stringify(provider)` and `util.inspect(provider)` show the path and metadata only,
 * and errors come from the vault client, whose messages never carry values.
 *
 * @example
 * const apiKey = createCredentialProvider(vault, "production/openai/api-key", { token });
 * const openai = new OpenAI({ apiKey });
 */
export function createCredentialProvider(
  vault: SecretReader,
  path: string,
  options: CredentialProviderOptions = {},
): CredentialProvider {
  const { refreshAfter = DEFAULT_REFRESH_AFTER_MS, ...readOptions } = options;
  if (!Number.isFinite(refreshAfter) || refreshAfter < 0) {
    throw new RangeError(`refreshAfter must be a number of ms ≥ 0, got ${refreshAfter}`);
  }
  const { signal } = options;

  // What was read last (a copy of its fields, never the reader's object) and when.
  let cached: { value: string; version: number; expiresAt: Date | null } | undefined;
  let fetchedAt = 0;
  let nextReadAt = 0;
  let inFlight: Promise<string> | undefined;
  let inFlightForced = false;
  // Bumped by invalidate()/refresh() so that a read started earlier cannot refill the cache.
  let generation = 0;

  // A value is read again after `delay` ms, or when it expires if that comes first.
  const readAgainIn = (delay: number, now: number) => {
    nextReadAt = Math.min(now + delay, cached?.expiresAt?.getTime() ?? Infinity);
  };

  const read = (forced: boolean): Promise<string> => {
    const readGeneration = generation;
    const promise = vault.getSecret(path, readOptions).then(
      ({ value, version, expiresAt }) => {
        if (readGeneration === generation) {
          cached = { value, version, expiresAt };
          fetchedAt = Date.now();
          readAgainIn(refreshAfter, fetchedAt);
        }
        return value;
      },
      (error: unknown) => {
        if (readGeneration !== generation) throw error;
        if (isCredentialGone(error)) {
          cached = undefined;
          throw error;
        }
        const now = Date.now();
        if (
          !forced &&
          cached !== undefined &&
          now < (cached.expiresAt?.getTime() ?? Infinity) &&
          !signal?.aborted &&
          isRetryable(error)
        ) {
          readAgainIn(STALE_RETRY_DELAY_MS, now);
          return cached.value;
        }
        throw error;
      },
    );
    inFlight = promise;
    inFlightForced = forced;
    const clear = () => {
      if (inFlight === promise) inFlight = undefined;
    };
    promise.then(clear, clear);
    return promise;
  };

  const provider = (): Promise<string> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (inFlight !== undefined) return inFlight;
    if (cached !== undefined && Date.now() < nextReadAt) return Promise.resolve(cached.value);
    return read(false);
  };

  const refresh = (): Promise<string> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // Concurrent refresh() calls share one forced read; a read begun by an ordinary call
    // might return the value the caller just found to be bad, so it is not reused.
    if (inFlight !== undefined && inFlightForced) return inFlight;
    generation += 1;
    return read(true);
  };

  const invalidate = (): void => {
    generation += 1;
    cached = undefined;
    inFlight = undefined;
  };

  // A copy of what the provider knows, never the value.
  const current = () =>
    cached && {
      version: cached.version,
      fetchedAt: new Date(fetchedAt),
      expiresAt: cached.expiresAt && new Date(cached.expiresAt.getTime()),
    };
  const describe = () => ({ path, current: current() });

  Object.defineProperties(provider, {
    name: { value: "credentialProvider" },
    path: { value: path, enumerable: true },
    current: { get: current, enumerable: true },
    refresh: { value: refresh },
    invalidate: { value: invalidate },
    toString: { value: () => `[CredentialProvider ${path}]` },
    toJSON: { value: describe },
    [INSPECT_CUSTOM]: { value: () => `CredentialProvider ${JSON.stringify(describe())}` },
  });
  return provider as CredentialProvider;
}

/** The token was revoked or used up, the scope no longer covers the path, or the secret is gone. */
function isCredentialGone(error: unknown): boolean {
  return (
    error instanceof AgentVaultAuthError ||
    error instanceof AgentVaultPermissionError ||
    error instanceof AgentVaultNotFoundError
  );
}
