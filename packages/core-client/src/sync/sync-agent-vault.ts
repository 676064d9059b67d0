import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from "node:worker_threads";
import { AgentVault } from "../agent-vault.js";
import type { AgentVaultOptions } from "../agent-vault-options.js";
import { AgentVaultConfigurationError, AgentVaultTimeoutError } from "../errors.js";
import { MAX_RETRY_DELAY_MS } from "../internal/retry-policy.js";
import type { Logger } from "../logger.js";
import type { ApprovalRequest } from "../models/approval-request.js";
import type { ImportResult } from "../models/import-result.js";
import type { RotationResult } from "../models/rotation-result.js";
import type { ScopedToken } from "../models/scoped-token.js";
import type { Secret } from "../models/secret.js";
import type { SecretMetadata } from "../models/secret-metadata.js";
import type { SecretPage } from "../models/secret-page.js";
import type {
  GetSecretOptions,
  ImportSecretsOptions,
  ListSecretsOptions,
  RequestOptions,
  RequestTokenOptions,
  RotateSecretOptions,
  SetSecretOptions,
  WaitForApprovalOptions,
} from "../request-options.js";
import { decodeError, decodeResult, encodeResult } from "./sync-codec.js";
import {
  DONE,
  PENDING,
  type SyncMethod,
  type WorkerInit,
  type WorkerLogLine,
  type WorkerReply,
  type WorkerRequest,
} from "./sync-protocol.js";
import { resolveWorkerEntry, workerBootstrap } from "./sync-worker-file.js";

/** Options of `new SyncAgentVault(options)`: those of `AgentVault`, except `fetch`. */
export interface SyncAgentVaultOptions extends Omit<AgentVaultOptions, "fetch"> {
  /**
   * Longest time one call may block the thread, in ms; past it the call throws
   * `AgentVaultTimeoutError` (code `SYNC_TIMEOUT`) and the request is aborted. `waitForApproval`
   * gets its own `timeout` on top of this.
   * @default timeout × (retries + 1) + retries × 8 000 + 5 000
   */
  callTimeout?: number | undefined;
  /**
   * Longest wait for the worker thread to start, in ms.
   * @default 30_000
   */
  startTimeout?: number | undefined;
}

/** A method's options, without `signal`: a synchronous call cannot be aborted. */
export type SyncOptions<Options> = Omit<Options, "signal">;

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_START_TIMEOUT_MS = 30_000;
// Room for what the per-attempt timeouts do not count: backoff jitter, worker scheduling.
const DEADLINE_MARGIN_MS = 5_000;
const DEFAULT_APPROVAL_TIMEOUT_MS = 300_000;
const DEFAULT_POLL_WAIT_SECONDS = 25;

/**
 * `AgentVault` with synchronous methods, for scripts and configuration files that cannot
 * `await`. A worker thread runs a real `AgentVault`; each call blocks this thread
 * (`Atomics.wait`) until the worker answers or `callTimeout` passes. Results are the same
 * model classes (`Secret`, `ScopedToken`, with `Date`s) and failures the same error classes
 * as the async client's.
 *
 * The worker never keeps the process alive; `close()` stops it. Do not call it from a
 * thread that also runs the vault server: that server could not answer while the thread
 * is blocked.
 *
 * @example
 * const vault = new SyncAgentVault(); // ASS_AGENT_KEY / ASS_TOKEN, ASS_BASE_URL
 * const apiKey = vault.getSecret("production/openai/api-key").value;
 * vault.close();
 */
export class SyncAgentVault implements Disposable {
  /** The API's base URL, normalised: no trailing slash, ending in `/v1`. */
  readonly baseUrl: string;
  readonly #worker: Worker;
  readonly #callPort: MessagePort;
  readonly #logPort: MessagePort;
  readonly #startState: Int32Array;
  readonly #logger: Logger | undefined;
  readonly #callTimeout: number;
  readonly #startTimeout: number;
  readonly #perAttemptTimeout: number;
  #started = false;
  #closed = false;
  #nextId = 1;

  /** Starts the worker (without waiting for it). A malformed option throws here, as in `AgentVault`. */
  constructor(options: SyncAgentVaultOptions = {}) {
    const { callTimeout, startTimeout, logger, ...vaultOptions } = options;
    if ("fetch" in vaultOptions) {
      // A function cannot be sent to the worker, which makes the requests.
      throw new AgentVaultConfigurationError(
        "SyncAgentVault does not take a fetch option; its requests are made by a worker thread with the global fetch.",
        { code: "INVALID_OPTION" },
      );
    }
    // Validates every option synchronously, with the async client's own rules and messages.
    this.baseUrl = new AgentVault(vaultOptions).baseUrl;
    this.#logger = logger;
    this.#perAttemptTimeout = vaultOptions.timeout ?? DEFAULT_TIMEOUT_MS;
    const retries = vaultOptions.retries ?? DEFAULT_RETRIES;
    this.#callTimeout = positive(
      callTimeout ??
        this.#perAttemptTimeout * (retries + 1) + retries * MAX_RETRY_DELAY_MS + DEADLINE_MARGIN_MS,
      "callTimeout",
    );
    this.#startTimeout = positive(startTimeout ?? DEFAULT_START_TIMEOUT_MS, "startTimeout");

    const entry = resolveWorkerEntry();
    const calls = new MessageChannel();
    const logs = new MessageChannel();
    const startState = new SharedArrayBuffer(4);
    const init: WorkerInit = {
      options: vaultOptions,
      forwardLogs: logger !== undefined,
      callPort: calls.port2,
      logPort: logs.port2,
      startState,
    };
    this.#worker = new Worker(workerBootstrap(entry), {
      eval: true,
      workerData: init,
      transferList: [calls.port2, logs.port2],
    });
    this.#worker.unref();
    // Without a listener a worker crash would be an uncaught 'error' event; the caller
    // learns of it as a start or call timeout instead.
    this.#worker.on("error", () => {});
    this.#callPort = calls.port1;
    this.#logPort = logs.port1;
    this.#startState = new Int32Array(startState);
  }

  /** Reads a secret. See `AgentVault.getSecret`. */
  getSecret(path: string, options?: SyncOptions<GetSecretOptions>): Secret {
    return this.#call("getSecret", [path, options]) as Secret;
  }

  /** Creates the secret or adds a version; returns its metadata. See `AgentVault.setSecret`. */
  setSecret(path: string, value: string, options?: SyncOptions<SetSecretOptions>): SecretMetadata {
    return this.#call("setSecret", [path, value, options]) as SecretMetadata;
  }

  /** One page of the namespace's listing (`items`, `nextCursor`). */
  listSecrets(namespace: string, options?: SyncOptions<ListSecretsOptions>): SecretPage {
    return this.#call("listSecrets", [namespace, options]) as SecretPage;
  }

  /** Every item of every page of the namespace's listing, following `nextCursor`. */
  listAllSecrets(
    namespace: string,
    options?: SyncOptions<Omit<ListSecretsOptions, "cursor">>,
  ): SecretMetadata[] {
    return this.#call("listAllSecrets", [namespace, options]) as SecretMetadata[];
  }

  /** A secret's metadata and version history. See `AgentVault.getMetadata`. */
  getMetadata(path: string, options?: SyncOptions<RequestOptions>): SecretMetadata {
    return this.#call("getMetadata", [path, options]) as SecretMetadata;
  }

  /** Deletes the secret and every version of it. */
  deleteSecret(path: string, options?: SyncOptions<RequestOptions>): void {
    this.#call("deleteSecret", [path, options]);
  }

  /** Writes a new value as a new version. See `AgentVault.rotateSecret`. */
  rotateSecret(
    path: string,
    newValue: string,
    options?: SyncOptions<RotateSecretOptions>,
  ): RotationResult {
    return this.#call("rotateSecret", [path, newValue, options]) as RotationResult;
  }

  /** Imports `.env` text into `namespace`, all keys or none. See `importSecrets` from `@agentsecretstore/client/import`. */
  importSecrets(
    namespace: string,
    content: string,
    options?: SyncOptions<ImportSecretsOptions>,
  ): ImportResult {
    return this.#call("importSecrets", [namespace, content, options]) as ImportResult;
  }

  /** Mints a scoped token; a pending one comes back with `approvalStatus: "pending"`. */
  requestToken(options: SyncOptions<RequestTokenOptions>): ScopedToken {
    return this.#call("requestToken", [options]) as ScopedToken;
  }

  /**
   * A scoped token's record (scopes, expiry, uses left), its `value` `""`. See
   * `AgentVault.inspectToken`.
   */
  inspectToken(options?: SyncOptions<RequestOptions>): ScopedToken {
    return this.#call("inspectToken", [options]) as ScopedToken;
  }

  /** Revokes a token (a `ScopedToken`, its id, or its value). */
  revokeToken(tokenOrId: ScopedToken | string, options?: SyncOptions<RequestOptions>): void {
    this.#call("revokeToken", [tokenOrId, options]);
  }

  /**
   * Blocks until the approval request is decided. Blocks for at most `options.timeout`
   * (default 5 minutes) plus `callTimeout`.
   */
  waitForApproval(
    approvalRequestId: string,
    options?: SyncOptions<WaitForApprovalOptions>,
  ): ApprovalRequest {
    const waitMs =
      (options?.timeout ?? DEFAULT_APPROVAL_TIMEOUT_MS) +
      (options?.pollWaitSeconds ?? DEFAULT_POLL_WAIT_SECONDS) * 1000 +
      this.#perAttemptTimeout;
    return this.#call(
      "waitForApproval",
      [approvalRequestId, options],
      waitMs + this.#callTimeout,
    ) as ApprovalRequest;
  }

  /** Stops the worker; later calls throw `AgentVaultConfigurationError` (`CLIENT_CLOSED`). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#callPort.close();
    this.#logPort.close();
    void this.#worker.terminate();
  }

  /** `using vault = new SyncAgentVault()` closes it at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `SyncAgentVault(<baseUrl>)`: holds no value, but says so plainly. */
  toString(): string {
    return `SyncAgentVault(${this.baseUrl})`;
  }

  #call(method: SyncMethod, args: readonly unknown[], timeout = this.#callTimeout): unknown {
    this.#ensureStarted();
    const id = this.#nextId++;
    const state = new SharedArrayBuffer(4);
    const request: WorkerRequest = {
      type: "call",
      id,
      method,
      args: args.map((argument) => encodeResult(withoutSignal(argument))),
      state,
    };
    this.#callPort.postMessage(request);
    const outcome = Atomics.wait(new Int32Array(state), 0, PENDING, timeout);
    this.#drainLogs();
    if (outcome === "timed-out") {
      this.#callPort.postMessage({ type: "cancel", id } satisfies WorkerRequest);
      throw new AgentVaultTimeoutError(
        `SyncAgentVault.${method} got no answer within ${timeout} ms, so it stopped waiting and aborted the request. Check that the vault at ${this.baseUrl} is reachable, or raise callTimeout.`,
        { code: "SYNC_TIMEOUT" },
      );
    }
    return this.#settle(this.#receive(id));
  }

  #ensureStarted(): void {
    if (this.#closed) {
      throw new AgentVaultConfigurationError(
        "This SyncAgentVault was closed; create a new one to make more calls.",
        { code: "CLIENT_CLOSED" },
      );
    }
    if (this.#started) return;
    const outcome = Atomics.wait(this.#startState, 0, PENDING, this.#startTimeout);
    this.#drainLogs();
    if (outcome === "timed-out" && Atomics.load(this.#startState, 0) !== DONE) {
      this.close();
      throw new AgentVaultConfigurationError(
        `The SyncAgentVault worker thread did not start within ${this.#startTimeout} ms; it may have failed to load. Raise startTimeout on a slow machine.`,
        { code: "SYNC_WORKER_START_FAILED" },
      );
    }
    const report = this.#receive(0);
    if (!report.ok) {
      this.close();
      throw decodeError(report.error);
    }
    this.#started = true;
  }

  /** The reply to call `id`; replies to calls that timed out earlier are skipped. */
  #receive(id: number): WorkerReply {
    for (;;) {
      const received = receiveMessageOnPort(this.#callPort);
      if (received === undefined) {
        throw new AgentVaultConfigurationError(
          "The SyncAgentVault worker signalled an answer but none arrived; create a new client.",
          { code: "SYNC_PROTOCOL_ERROR" },
        );
      }
      const reply = received.message as WorkerReply;
      if (reply.id === id) return reply;
    }
  }

  #settle(reply: WorkerReply): unknown {
    if (reply.ok) return decodeResult(reply.result);
    throw decodeError(reply.error);
  }

  #drainLogs(): void {
    for (;;) {
      const received = receiveMessageOnPort(this.#logPort);
      if (received === undefined) return;
      const line = received.message as WorkerLogLine;
      if (this.#logger === undefined) continue;
      if (line.fields === undefined) this.#logger[line.level](line.message);
      else this.#logger[line.level](line.message, line.fields);
    }
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new AgentVaultConfigurationError(
      `SyncAgentVault option ${name} must be a positive number of milliseconds.`,
      { code: "INVALID_OPTION" },
    );
  }
  return value;
}

/** Options objects lose `signal` (an AbortSignal cannot cross threads, nor abort a blocked call). */
function withoutSignal(argument: unknown): unknown {
  if (typeof argument !== "object" || argument === null || !("signal" in argument)) {
    return argument;
  }
  const { signal: _signal, ...rest } = argument;
  return rest;
}
