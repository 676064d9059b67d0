import {
  AgentVaultAuthError,
  AgentVaultError,
  AgentVaultNetworkError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultRateLimitError,
  AgentVaultServerError,
} from "@agentsecretstore/client";

/**
 * GET for the few endpoints the client SDK has no method for yet (`/me`, `/tokens`, `/health`).
 * Failures become the client's error classes, so `describeFailure` treats them as any other.
 * The credential goes only to `baseUrl`, which the person named.
 */
export function getFromVault(
  baseUrl: string,
  path: string,
  credential: string | undefined,
  signal?: AbortSignal,
  /** Statuses besides 2xx whose body is the answer (503 from `/health`: "unavailable", and why). */
  accept: readonly number[] = [],
): Promise<Record<string, unknown>> {
  return callVault(baseUrl, "GET", path, credential, undefined, signal, accept);
}

/**
 * {@link getFromVault} for any method, with an optional JSON body (`/webhook`). An empty answer
 * (204) is `{}`.
 */
export async function callVault(
  baseUrl: string,
  method: "GET" | "PUT" | "DELETE",
  path: string,
  credential: string | undefined,
  body?: Record<string, unknown>,
  signal?: AbortSignal,
  accept: readonly number[] = [],
): Promise<Record<string, unknown>> {
  const description = `${method} /v1${path}`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(credential === undefined ? {} : { authorization: `Bearer ${credential}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: signal ?? AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new AgentVaultNetworkError(
      `Could not reach the vault at ${baseUrl} (${fetchFailure(error)}).`,
      {
        code: "NETWORK_ERROR",
        cause: error,
      },
    );
  }
  const requestId = response.headers.get("x-request-id");
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok || accept.includes(response.status)) return answer;
  const error = (answer.error ?? {}) as { code?: string; message?: string };
  const options = {
    code: error.code ?? `HTTP_${response.status}`,
    status: response.status,
    requestId,
  };
  const message = `${description} failed${error.message ? `: ${error.message}` : ` (HTTP ${response.status})`}.`;
  if (response.status === 401) throw new AgentVaultAuthError(message, options);
  if (response.status === 403) throw new AgentVaultPermissionError(message, options);
  if (response.status === 404) throw new AgentVaultNotFoundError(message, options);
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new AgentVaultRateLimitError(message, {
      ...options,
      retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
    });
  }
  if (response.status >= 500) throw new AgentVaultServerError(message, options);
  throw new AgentVaultError(message, options);
}

/** Certificate checks that fail for a server whose CA this process does not trust. */
const UNTRUSTED_CERTIFICATE = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
]);

/** What went wrong: undici says "fetch failed" and puts the useful code in `cause`. */
function fetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") return error.message;
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return `${error.message}: ${code}; the server's certificate is not from a trusted CA: for a private CA set ASS_CA_CERT to its PEM file`;
  }
  return `${error.message}: ${code}`;
}
