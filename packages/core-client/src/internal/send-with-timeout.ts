import { AgentVaultAbortError, AgentVaultNetworkError, AgentVaultTimeoutError } from "../errors.js";
import { MAX_TIMER_MS, onAbort, raceAbort } from "./abort.js";
import type { BuiltRequest } from "./build-request.js";
import { redactText } from "./redact.js";

/** The `fetch` the client calls: the global one or the `fetch` option. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** A response whose body has been read in full. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Options of {@link sendWithTimeout}. */
export interface SendOptions {
  readonly fetch: FetchFunction;
  /** Limit for this attempt, sending and reading the body, in ms. */
  readonly timeout: number;
  /** The caller's (and the client's) signal; when it fires the attempt is abandoned at once. */
  readonly signal: AbortSignal;
}

/** The reason the attempt's own controller aborts with when the timeout passes. */
const TIMED_OUT = Symbol("timed out");

/**
 * Makes one attempt: sends `request` and reads the whole body, within `timeout`.
 * Failures come back typed: {@link AgentVaultAbortError} when `signal` fired,
 * {@link AgentVaultTimeoutError} when the timeout passed, {@link AgentVaultNetworkError}
 * for anything else that kept a response from arriving.
 */
export async function sendWithTimeout(
  request: BuiltRequest,
  options: SendOptions,
): Promise<RawResponse> {
  const { signal } = options;
  if (signal.aborted) throw abortError(request);
  const attempt = new AbortController();
  const timer = setTimeout(() => attempt.abort(TIMED_OUT), Math.min(options.timeout, MAX_TIMER_MS));
  const detach = onAbort(signal, () => attempt.abort(signal.reason));
  try {
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      signal: attempt.signal,
    };
    if (request.body !== undefined) init.body = request.body;
    const response = await raceAbort(options.fetch(request.url, init), attempt.signal);
    // The body is read inside the same deadline: a server that stalls mid-body is a timeout too.
    const text = await raceAbort(response.text(), attempt.signal);
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (signal.aborted) throw abortError(request);
    if (attempt.signal.reason === TIMED_OUT) {
      throw new AgentVaultTimeoutError(
        `${request.description} got no answer within ${options.timeout} ms: check that the vault is reachable, or raise the timeout option.`,
        { code: "TIMEOUT", cause: error },
      );
    }
    throw new AgentVaultNetworkError(
      `Could not reach the vault for ${request.description} (${describeCause(error)}): check baseUrl / ASS_BASE_URL.`,
      { code: "NETWORK_ERROR", cause: error },
    );
  } finally {
    clearTimeout(timer);
    detach();
  }
}

/** The error for an attempt abandoned because the caller's signal fired or the client closed. */
export function abortError(request: Pick<BuiltRequest, "description">): AgentVaultAbortError {
  return new AgentVaultAbortError(
    `${request.description} was aborted (its signal fired or the client was closed).`,
    { code: "ABORTED" },
  );
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, …) in `cause`.
  const cause = error.cause;
  const detail =
    cause instanceof Error
      ? ((cause as Error & { code?: unknown }).code ?? cause.message)
      : undefined;
  const text = typeof detail === "string" ? `${error.message}: ${detail}` : error.message;
  return redactText(text);
}
