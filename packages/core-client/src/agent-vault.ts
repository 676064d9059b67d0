import { CREDENTIAL_PREFIXES } from "@agentsecretstore/protocol";
import type { AgentVaultOptions } from "./agent-vault-options.js";
import { AgentVaultConfigurationError } from "./errors.js";
import { brokerConnection } from "./internal/broker-connection.js";
import type { HttpMethod } from "./internal/build-request.js";
import { ClientCore } from "./internal/client-core.js";
import { invalid, scopeFields } from "./internal/option-checks.js";
import type { PipelineRequest } from "./internal/request-pipeline.js";
import {
  missingCredentialError,
  processEnvironment,
  resolveCredential,
} from "./internal/resolve-config.js";
import { secretWriteFields } from "./internal/secret-write-fields.js";
import { encodeIdSegment, encodeSecretPath } from "./internal/url-path.js";
import { grantAccess } from "./internal/vault-access.js";
import {
  toRotationResult,
  toScopedToken,
  toSecret,
  toSecretMetadata,
  toSecretPage,
  toTokenRecord,
} from "./internal/wire-mappers.js";
import type { BrokerConnection } from "./models/broker-connection.js";
import type { RotationResult } from "./models/rotation-result.js";
import type { ScopedToken } from "./models/scoped-token.js";
import type { Secret } from "./models/secret.js";
import type { SecretMetadata } from "./models/secret-metadata.js";
import type {
  BrokerOptions,
  GetSecretOptions,
  ListSecretsOptions,
  RequestOptions,
  RequestTokenOptions,
  RotateSecretOptions,
  SetSecretOptions,
} from "./request-options.js";
import type { SecretCacheStore } from "./secret-cache-store.js";
import { SecretList } from "./secret-list.js";

/**
 * The Agent Secret Store client: read and write secrets, mint and revoke scoped tokens,
 * rotate (`waitForApproval(vault, id)` waits for a person's decision). Every failure is an `AgentVaultError` subclass; every value
 * it returns redacts itself when printed.
 *
 * @example
 * await using vault = new AgentVault(); // ASS_AGENT_KEY (or ASS_TOKEN) and ASS_BASE_URL
 * const secret = await vault.getSecret("production/openai/api-key");
 * const token = await vault.requestToken({ scope: "secrets:read:production/openai/*", ttlSeconds: 900 });
 */
export class AgentVault implements AsyncDisposable {
  /** The API's base URL, normalised: no trailing slash, ending in `/v1`. */
  readonly baseUrl: string;
  readonly #core: ClientCore;
  readonly #cache: SecretCacheStore | undefined;

  /**
   * Nothing is sent and no credential is required here: a missing credential is reported
   * by the first call that needs one. A malformed `baseUrl` or option throws at once.
   */
  constructor(options: AgentVaultOptions = {}) {
    const env = options.env ?? processEnvironment();
    this.#core = new ClientCore(options, {
      env,
      credential: resolveCredential(options, env),
      missingCredential: missingCredentialError,
      clientName: "AgentVault",
    });
    this.baseUrl = this.#core.baseUrl;
    const { cache } = options;
    if (cache !== undefined && typeof cache.read !== "function") {
      // The option used to take { ttl } itself; say what it takes now.
      throw new AgentVaultConfigurationError(
        "The cache option takes createSecretCache({ ttl }) from @agentsecretstore/client/cache.",
        { code: "INVALID_OPTION" },
      );
    }
    this.#cache = cache;
    grantAccess(this, {
      call: (...call) => this.#call(...call),
      cache,
      timeout: this.#core.timeout,
    });
  }

  /**
   * Reads a secret (the current version, or `options.version`). Concurrent identical reads
   * share one request; with the `cache` option, fresh results come from memory.
   *
   * @throws AgentVaultApprovalPendingError when a person must approve first
   * @throws AgentVaultNotFoundError, AgentVaultPermissionError, AgentVaultAuthError, …
   */
  async getSecret(path: string, options: GetSecretOptions = {}): Promise<Secret> {
    const url = `/secrets/${encodeSecretPath(path)}`;
    const query = { version: options.version };
    const load = async () => toSecret(await this.#call("GET", url, options, { query }), path);
    if (this.#cache === undefined) return load();
    const credentialId = this.#core.credentialIdentity.idFor(this.#core.credential(options.token));
    return this.#cache.read(
      { path, version: options.version, credentialId },
      load,
      this.#core.logger,
    );
  }

  /**
   * Creates the secret or adds a version. Safe to retry: one call makes at most one version.
   * Returns the metadata (never the value).
   *
   * @throws AgentVaultConflictError when `ifVersion` does not match
   */
  async setSecret(
    path: string,
    value: string,
    options: SetSecretOptions = {},
  ): Promise<SecretMetadata> {
    if (typeof value !== "string") throw invalid("value", "must be a string");
    const body = await this.#write(path, "PUT", "", options, {
      headers: options.ifVersion === undefined ? undefined : { "if-match": `${options.ifVersion}` },
      body: { value, ...secretWriteFields(options) },
      sensitiveValues: [value],
    });
    return toSecretMetadata(body);
  }

  /**
   * Lists the metadata of every secret below `namespace` (never values). Await the result
   * for one page, or iterate it with `for await` for every item of every page.
   */
  listSecrets(namespace: string, options: ListSecretsOptions = {}): SecretList {
    const fetchPage = async (cursor: string | undefined) =>
      toSecretPage(
        await this.#call("GET", "/secrets", options, {
          query: { namespace, limit: options.limit, cursor },
        }),
      );
    return new SecretList(fetchPage, options.cursor);
  }

  /** A secret's metadata and its version history (`versions`), without the value. */
  async getMetadata(path: string, options: RequestOptions = {}): Promise<SecretMetadata> {
    return toSecretMetadata(
      await this.#call("GET", `/metadata/${encodeSecretPath(path)}`, options),
    );
  }

  /** Deletes the secret and every version of it. */
  async deleteSecret(path: string, options: RequestOptions = {}): Promise<void> {
    await this.#write(path, "DELETE", "", options);
  }

  /**
   * Writes a new value as a new version; the old one stays readable for
   * `gracePeriodSeconds`, so running agents can move over.
   */
  async rotateSecret(
    path: string,
    newValue: string,
    options: RotateSecretOptions = {},
  ): Promise<RotationResult> {
    if (typeof newValue !== "string") throw invalid("newValue", "must be a string");
    const body = await this.#write(path, "POST", "/rotate", options, {
      body: { new_value: newValue, grace_period_seconds: options.gracePeriodSeconds },
      sensitiveValues: [newValue],
    });
    return toRotationResult(body, path);
  }

  /**
   * Mints a scoped, short-lived token (for a subagent). When its scopes need a person's
   * approval this does not throw: the token comes back with `approvalStatus: "pending"` and
   * an `approvalRequestId` to pass to `waitForApproval(vault, id)`.
   */
  async requestToken(options: RequestTokenOptions): Promise<ScopedToken> {
    const body = await this.#call("POST", "/tokens", options, {
      body: {
        ...scopeFields(options),
        ttl_seconds: options.ttlSeconds,
        description: options.description,
        allowed_ips: options.allowedIps,
        max_uses: options.maxUses,
      },
      acceptPending: true,
    });
    return toScopedToken(body);
  }

  /**
   * What the vault knows about a scoped token: scopes, expiry, uses left, approval state
   * (`GET /v1/tokens/self`, presenting `options.token`, else this client's own token). It
   * consumes none of the token's uses. The server never sends a token's value twice, so
   * the returned `ScopedToken`'s `value` is `""`.
   *
   * @throws AgentVaultAuthError when the token is unknown, expired, revoked or used up
   * @throws AgentVaultNotFoundError when the credential is a key, not a token
   */
  async inspectToken(options: RequestOptions = {}): Promise<ScopedToken> {
    return toTokenRecord(await this.#call("GET", "/tokens/self", options));
  }

  /**
   * Revokes a token (and every token minted from it). Accepts a `ScopedToken`, a token id,
   * or a raw token value (`ast_tok_…`), which revokes itself: it is presented as the
   * credential of `DELETE /v1/tokens/self`, whatever `options.token` says.
   */
  async revokeToken(tokenOrId: ScopedToken | string, options: RequestOptions = {}): Promise<void> {
    const selfValue = selfRevokingValue(tokenOrId);
    if (selfValue !== undefined) {
      await this.#call("DELETE", "/tokens/self", options, { token: selfValue });
      return;
    }
    const tokenId = typeof tokenOrId === "string" ? tokenOrId : tokenOrId.tokenId;
    await this.#call("DELETE", `/tokens/${encodeIdSegment(tokenId, "tokenId")}`, options);
  }

  /**
   * Where to point an SDK so that its calls go through the vault's credential broker route
   * `route`: the vault injects the route's secret, and this process never holds it. The
   * credential is `options.token` (a token scoped `secrets:use:…`) or the client's own.
   *
   * @throws AgentVaultValidationError when `route` is not a route name (a-z, 0-9, - and _)
   * @example
   * const { baseURL, headers } = vault.broker("openai", { token });
   * const openai = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: headers.authorization.slice(7) });
   */
  broker(route: string, options: BrokerOptions = {}): BrokerConnection {
    return brokerConnection(this.baseUrl, route, this.#core.credential(options.token));
  }

  /**
   * Aborts every request in flight, drops cached secrets from memory, and makes later calls
   * throw `AgentVaultConfigurationError` (`CLIENT_CLOSED`). Calling it again does nothing.
   */
  async close(): Promise<void> {
    if (this.#core.close()) this.#cache?.clear();
  }

  /** `await using vault = new AgentVault()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** One call with the per-call `token` and `signal` of `options`; resolves with the decoded body. */
  async #call(
    method: HttpMethod,
    path: string,
    options: RequestOptions,
    request: Partial<PipelineRequest> = {},
  ): Promise<unknown> {
    const call = { method, path, token: options.token, signal: options.signal, ...request };
    return (await this.#core.pipeline.send(call)).body;
  }

  /**
   * A write to the secret at `path` (`/secrets/<path><suffix>`), then drops the path from the
   * cache (also when the outcome is unknown).
   */
  async #write(
    path: string,
    method: HttpMethod,
    suffix: string,
    options: RequestOptions,
    request?: Partial<PipelineRequest>,
  ): Promise<unknown> {
    const url = `/secrets/${encodeSecretPath(path)}${suffix}`;
    try {
      return await this.#call(method, url, options, request);
    } finally {
      this.#cache?.invalidatePath(path);
    }
  }
}

/** The token that revokes itself: a raw `ast_tok_…` value, or a `ScopedToken` without an id. */
function selfRevokingValue(tokenOrId: ScopedToken | string): string | undefined {
  if (typeof tokenOrId !== "string") return tokenOrId.tokenId === "" ? tokenOrId.value : undefined;
  return tokenOrId.startsWith(CREDENTIAL_PREFIXES.token) ? tokenOrId : undefined;
}
