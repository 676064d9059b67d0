import type { FetchLike } from "../agent-vault-options.js";
import { AgentVaultConfigurationError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";
import type { OnWait } from "../retry-wait.js";
import { CredentialIdentity } from "./credential-identity.js";
import { checkNumber } from "./option-checks.js";
import { type PipelineConfig, RequestPipeline } from "./request-pipeline.js";
import { type Environment, isPlainHttpToRemote, resolveBaseUrl } from "./resolve-config.js";
import { safeLogger } from "./safe-logger.js";

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 3;

/** The connection options every client takes (`AgentVault`, `VaultAdmin`). */
export interface ClientCoreOptions {
  readonly baseUrl?: string | undefined;
  readonly timeout?: number | undefined;
  readonly retries?: number | undefined;
  readonly fetch?: FetchLike | undefined;
  readonly logger?: Logger | undefined;
  readonly onWait?: OnWait | undefined;
}

/** What differs between the clients: where the credential comes from. */
export interface ClientCoreSetup {
  readonly env: Environment;
  /** The client's own credential, or `undefined` when none was configured. */
  readonly credential: string | undefined;
  /** The error for a call that needs a credential when none was configured. */
  readonly missingCredential: () => AgentVaultConfigurationError;
  /** The class name, for the message of a call made after `close()`. */
  readonly clientName: string;
}

/**
 * What every client is built on: option checks, the base URL, a redacting logger, the one
 * request pipeline, and closing. Each public client holds one and adds its resource methods.
 * It is its pipeline's configuration, too.
 */
export class ClientCore implements PipelineConfig {
  /** Normalised: no trailing slash, ending in `/v1`. */
  readonly baseUrl: string;
  /** Per-attempt limit, in ms. */
  readonly timeout: number;
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly logger: Logger;
  readonly fetch: FetchLike;
  readonly onWait: OnWait | undefined;
  readonly credentialIdentity = new CredentialIdentity();
  readonly #setup: ClientCoreSetup;
  readonly #closer = new AbortController();
  /** Fires on `close()`: aborts everything in flight. */
  readonly closeSignal: AbortSignal = this.#closer.signal;
  readonly pipeline: RequestPipeline;

  /** Throws `AgentVaultConfigurationError` for a malformed `baseUrl` or option; sends nothing. */
  constructor(options: ClientCoreOptions, setup: ClientCoreSetup) {
    this.#setup = setup;
    this.baseUrl = resolveBaseUrl(options.baseUrl, setup.env);
    this.timeout = checkNumber(options.timeout ?? DEFAULT_TIMEOUT_MS, "timeout", 1);
    this.retries = checkNumber(options.retries ?? DEFAULT_RETRIES, "retries", 0, true);
    this.logger = options.logger === undefined ? silentLogger : safeLogger(options.logger);
    if (isPlainHttpToRemote(this.baseUrl)) {
      const message =
        "vault baseUrl is plain http to a remote host: credentials travel unencrypted";
      this.logger.warn(message, { baseUrl: this.baseUrl });
    }
    // Looked up at each call (not captured now), so that a fetch installed later is used.
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.onWait = options.onWait;
    this.pipeline = new RequestPipeline(this);
  }

  /** The credential for a call: `override` when given, else the client's own (or throws). */
  credential(override: string | undefined): string {
    if (this.closeSignal.aborted) {
      throw new AgentVaultConfigurationError(
        `This ${this.#setup.clientName} was closed; create a new one.`,
        { code: "CLIENT_CLOSED" },
      );
    }
    if (override !== undefined && override !== "") return override;
    if (this.#setup.credential === undefined) throw this.#setup.missingCredential();
    return this.#setup.credential;
  }

  /**
   * Aborts every request in flight and makes later calls throw `CLIENT_CLOSED`. Returns
   * whether this call closed it (`false` when it was closed already).
   */
  close(): boolean {
    if (this.closeSignal.aborted) return false;
    this.#closer.abort();
    this.credentialIdentity.clear();
    return true;
  }
}
