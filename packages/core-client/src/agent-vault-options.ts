import type { Logger } from "./logger.js";
import type { OnWait } from "./retry-wait.js";
import type { SecretCacheStore } from "./secret-cache-store.js";

/** Options of `createSecretCache` (from `@agentsecretstore/client/cache`). */
export interface AgentVaultCacheOptions {
  /** How long a read secret is served from memory, in ms. */
  ttl: number;
  /**
   * Fraction (0..1) of `ttl` by which each entry's lifetime is randomly shortened, so that
   * clients started together do not refresh together.
   * @default 0.1
   */
  jitter?: number | undefined;
  /**
   * Most entries kept; the oldest is dropped first.
   * @default 1000
   */
  maxEntries?: number | undefined;
}

/** A `fetch` implementation (the global one, undici's, a test double). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Options of `new AgentVault(options)`; every one is optional. */
export interface AgentVaultOptions {
  /**
   * Agent key (`ass_live_…`).
   * @default process.env.ASS_AGENT_KEY
   */
  agentKey?: string | undefined;
  /**
   * Scoped token (`ast_tok_…`), what a subagent holds instead of an agent key. Wins over
   * `agentKey` when both are set, and `ASS_TOKEN` wins over `ASS_AGENT_KEY`.
   * @default process.env.ASS_TOKEN
   */
  token?: string | undefined;
  /**
   * The vault's API. `/v1` is appended when missing; a trailing slash is dropped. Without
   * this option or `ASS_BASE_URL` the client talks only to a server on this machine; a
   * hosted or remote vault is used only when named here or in `ASS_BASE_URL`.
   * @default process.env.ASS_BASE_URL, else "http://127.0.0.1:8787/v1" (the local server)
   */
  baseUrl?: string | undefined;
  /**
   * Limit for each attempt (sending and reading the answer), in ms.
   * @default 10_000
   */
  timeout?: number | undefined;
  /**
   * Retries after a connection error, timeout, 408, 429 or 5xx, with exponential backoff
   * and jitter (honouring `Retry-After`). Writes are retried safely: each carries an
   * `Idempotency-Key`.
   * @default 3
   */
  retries?: number | undefined;
  /**
   * Called before every wait between attempts, with how long, why (`retryAfter`: the server's
   * `Retry-After`, e.g. a rate limit) and for which request, so that a caller can say so
   * instead of hanging silently. `Retry-After` waits are also a `logger.warn` line.
   * @default undefined (the logger only)
   * @example
   * new AgentVault({ onWait: (w) => console.error(`waiting ${Math.ceil(w.delayMs / 1000)} s`) })
   */
  onWait?: OnWait | undefined;
  /** @default globalThis.fetch (looked up at each call) */
  fetch?: FetchLike | undefined;
  /**
   * Cache `getSecret` results in memory: `createSecretCache({ ttl })` from
   * `@agentsecretstore/client/cache` (`ttl` in ms). Off unless given.
   * @default undefined (no cache)
   * @example
   * new AgentVault({ cache: createSecretCache({ ttl: 60_000 }) })
   */
  cache?: SecretCacheStore | undefined;
  /**
   * Receives one debug line per HTTP attempt and warnings. Never sees values or credentials.
   * @default a silent logger
   */
  logger?: Logger | undefined;
  /**
   * Read `ASS_AGENT_KEY`, `ASS_TOKEN`, `ASS_BASE_URL` from this object instead of
   * `process.env` (tests, runtimes without `process`).
   * @default process.env, or {} where there is no `process`
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}
