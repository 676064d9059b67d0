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
export async function getFromVault(
  baseUrl: string,
  path: string,
  credential: string | undefined,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const description = `GET /v1${path}`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      headers: {
        accept: "application/json",
        ...(credential === undefined ? {} : { authorization: `Bearer ${credential}` }),
      },
      signal: signal ?? AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentVaultNetworkError(`Could not reach the vault at ${baseUrl} (${reason}).`, {
      code: "NETWORK_ERROR",
      cause: error,
    });
  }
  const requestId = response.headers.get("x-request-id");
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) return body;
  const error = (body.error ?? {}) as { code?: string; message?: string };
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
