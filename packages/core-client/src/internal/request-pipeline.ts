import type { AgentVaultError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { OnWait } from "../retry-wait.js";
import { abortableSleep, linkSignals } from "./abort.js";
import {
  type BuiltRequest,
  buildRequest,
  type HttpMethod,
  type QueryParameters,
} from "./build-request.js";
import { CredentialIdentity } from "./credential-identity.js";
import { errorFromResponse } from "./error-from-response.js";
import { type ParsedResponse, parseResponse } from "./parse-response.js";
import { redactText } from "./redact.js";
import { parseRetryAfter } from "./retry-after.js";
import { isRetryable, nextRetryDelay } from "./retry-policy.js";
import { abortError, type FetchFunction, sendWithTimeout } from "./send-with-timeout.js";
import { SingleFlight } from "./single-flight.js";

/** How the client is set up; fixed for the pipeline's lifetime. */
export interface PipelineConfig {
  /** Normalised, including `/v1`, without a trailing slash. */
  readonly baseUrl: string;
  readonly fetch: FetchFunction;
  /** Per-attempt limit, in ms. */
  readonly timeout: number;
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly logger: Logger;
  /** The credential for a call: the per-call `token` if given, else the client's (or throws). */
  readonly credential: (override: string | undefined) => string;
  /** Fires when the client is closed; aborts everything in flight. */
  readonly closeSignal?: AbortSignal | undefined;
  readonly credentialIdentity?: CredentialIdentity | undefined;
  /** Told before every wait between attempts (see `RetryWait`). */
  readonly onWait?: OnWait | undefined;
  /** Injectable for tests. */
  readonly sleep?: ((milliseconds: number, signal: AbortSignal) => Promise<void>) | undefined;
  readonly random?: (() => number) | undefined;
  readonly now?: (() => number) | undefined;
}

/** One logical call, as a resource method describes it. */
export interface PipelineRequest {
  readonly method: HttpMethod;
  /** Encoded path below the base URL, starting with `/`. */
  readonly path: string;
  readonly query?: QueryParameters | undefined;
  readonly body?: Readonly<Record<string, unknown>> | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Per-call credential, overriding the client's. */
  readonly token?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Per-attempt limit for this call, in ms (long polls need more than the default). */
  readonly timeout?: number | undefined;
  /** 202 is a success (a pending token) rather than `AgentVaultApprovalPendingError`. */
  readonly acceptPending?: boolean | undefined;
  /** Values this call sends; kept out of any error message. */
  readonly sensitiveValues?: readonly string[] | undefined;
}

/**
 * THE request pipeline: build → send (per-attempt timeout) → parse → success, or map the
 * failure to a typed error → retry (backoff with jitter, `Retry-After`) or throw.
 * Concurrent identical GETs (same URL and credential) share one flight.
 */
export class RequestPipeline {
  readonly #config: PipelineConfig;
  readonly #singleFlight = new SingleFlight();
  readonly #credentialIdentity: CredentialIdentity;
  readonly #sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(config: PipelineConfig) {
    this.#config = config;
    this.#credentialIdentity = config.credentialIdentity ?? new CredentialIdentity();
    this.#sleep = config.sleep ?? abortableSleep;
    this.#random = config.random ?? Math.random;
    this.#now = config.now ?? Date.now;
  }

  /** Sends `request`; resolves with the decoded success response or rejects with an `AgentVaultError`. */
  async send(request: PipelineRequest): Promise<ParsedResponse> {
    const credential = this.#config.credential(request.token);
    const built = buildRequest({ ...request, baseUrl: this.#config.baseUrl, credential });
    if (request.method !== "GET") return this.#attempts(built, request, request.signal);
    const key = `${built.url}\u0000${this.#credentialIdentity.idFor(credential)}\u0000${request.acceptPending === true}`;
    return this.#singleFlight.run(
      key,
      request.signal,
      (sharedSignal) => this.#attempts(built, request, sharedSignal),
      () => abortError(built),
    );
  }

  async #attempts(
    built: BuiltRequest,
    request: PipelineRequest,
    callerSignal: AbortSignal | undefined,
  ): Promise<ParsedResponse> {
    const linked = linkSignals([callerSignal, this.#config.closeSignal]);
    try {
      for (let attempt = 1; ; attempt += 1) {
        const outcome = await this.#attempt(built, request, linked.signal, attempt);
        if (!("error" in outcome)) return outcome;
        const { error, retryAfterMs } = outcome;
        if (attempt > this.#config.retries || !isRetryable(error)) throw error;
        const delayMs = nextRetryDelay(attempt - 1, retryAfterMs, this.#random);
        // Never waits silently: a `Retry-After` wait is a warning, and `onWait` hears of every wait.
        const { method, pathname: path } = built;
        const fields = { method, path, status: error.status, code: error.code, delayMs, attempt };
        const retryAfter = retryAfterMs !== null;
        if (retryAfter) this.#config.logger.warn("vault asked to wait (Retry-After)", fields);
        try {
          this.#config.onWait?.({ ...fields, retryAfter });
        } catch {
          // A failing listener must not change what the request does.
        }
        try {
          await this.#sleep(delayMs, linked.signal);
        } catch {
          throw abortError(built);
        }
      }
    } finally {
      linked.dispose();
    }
  }

  /** One attempt: the success response, or the error to retry or throw (with the server's `Retry-After`). */
  async #attempt(
    built: BuiltRequest,
    request: PipelineRequest,
    signal: AbortSignal,
    attempt: number,
  ): Promise<ParsedResponse | { error: AgentVaultError; retryAfterMs: number | null }> {
    const started = this.#now();
    const log = (status: number | null, requestId: string | null) =>
      this.#config.logger.debug("vault request", {
        method: built.method,
        path: built.pathname,
        status,
        attempt,
        requestId,
        durationMs: this.#now() - started,
      });
    let response: ParsedResponse;
    try {
      const raw = await sendWithTimeout(built, {
        fetch: this.#config.fetch,
        timeout: request.timeout ?? this.#config.timeout,
        signal,
      });
      response = parseResponse(raw);
    } catch (error) {
      log(null, null);
      if (signal.aborted) throw abortError(built);
      return { error: error as AgentVaultError, retryAfterMs: null };
    }
    const { status, requestId } = response;
    // The request id is the server's text: should it echo a value just sent, the log must not.
    log(status, requestId === null ? null : redactText(requestId, request.sensitiveValues));
    if (status >= 200 && status < 300 && (status !== 202 || request.acceptPending === true)) {
      return response;
    }
    // Not capped here: the error reports what the server asked; nextRetryDelay caps the wait.
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), this.#now());
    const error = errorFromResponse({
      ...response,
      description: built.description,
      retryAfterMs,
      sensitiveValues: request.sensitiveValues,
    });
    return { error, retryAfterMs };
  }
}
