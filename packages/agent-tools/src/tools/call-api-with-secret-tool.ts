import { z } from "zod";
import { brokerRefusalOutcome, vaultErrorOf } from "../internal/broker-answer.js";
import { callKey } from "../internal/call-approvals.js";
import { defineVaultTool } from "../internal/define-vault-tool.js";
import { checkDestination, parseDestinations } from "../internal/destination-policy.js";
import { readBodyPrefix } from "../internal/read-body.js";
import { secretBindingRefusal } from "../internal/secret-binding.js";
import type { VaultToolState } from "../internal/vault-tool-state.js";
import type { VaultToolCallContext } from "../vault-tool-context.js";
import type { VaultToolOutcome } from "../vault-tool-outcome.js";
import { outcomeSchema } from "../vault-tool-outcome.js";

const inputSchema = z.object({
  url: z
    .string()
    .min(1)
    .describe(
      "Full URL with any query parameters, e.g. `https://api.example.com/v1/items?limit=5`.",
    ),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
  secretPath: z
    .string()
    .min(1)
    .describe("Path of the secret holding the credential, e.g. `production/github/token`."),
  credentialIn: z
    .enum(["header", "query"])
    .default("header")
    .describe("Send the credential in a header (default) or a query parameter."),
  credentialName: z
    .string()
    .min(1)
    .max(100)
    .default("Authorization")
    .describe("Header or query parameter name. Default `Authorization`."),
  credentialPrefix: z
    .string()
    .max(40)
    .optional()
    .describe(
      "Text before the credential, e.g. `Bearer ` (the default for Authorization) or `token `.",
    ),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('Other request headers, e.g. {"Accept": "application/json"}.'),
  body: z.string().optional().describe("Request body, e.g. JSON text (not for GET)."),
});

const outputSchema = outcomeSchema(
  [
    "completed",
    "not_allowed",
    "invalid_request",
    "request_failed",
    "not_found",
    "denied",
    "pending_approval",
    "rate_limited",
  ],
  {
    httpStatus: z.number().int().optional().describe("completed: the API's HTTP status."),
    contentType: z.string().nullable().optional(),
    location: z.string().optional().describe("A redirect's target (redirects are not followed)."),
    body: z.string().optional().describe("The response body, vault values masked."),
    truncated: z.boolean().optional().describe("Whether the body was cut off."),
  },
);

// Headers the model may not set: where the request goes, its length, and the vault's credential.
const RESERVED_HEADERS = new Set(["host", "content-length", "x-vault-token", "x-approval-id"]);
// The longest a brokered call may wait for a person's decision (the vault's own limit).
const MAX_BROKER_WAIT_SECONDS = 60;
// Room to mask a value cut at the read limit before the text is shortened (values are ≤ 64 KiB).
const READ_MARGIN_BYTES = 64 * 1024;

/**
 * `call_api_with_secret`: an HTTP request in which the tool puts a credential from the vault
 * into a header or query parameter, only to destinations the developer allowed and the
 * secret's own binding admits; or, for a destination that names a broker route, a call through
 * the vault's credential broker, which injects the secret so that this process never holds it.
 * The response comes back with every vault value masked.
 */
export function callApiWithSecretTool(state: VaultToolState) {
  const destinations = parseDestinations(state.options.allowedDestinations);
  const allowedList = destinations
    .flatMap((destination) =>
      destination.pathPrefixes.map(
        (prefix) =>
          `${destination.origin}${prefix}${destination.broker === undefined ? "" : " (through the vault's broker, which sends the credential itself)"}`,
      ),
    )
    .join(", ");
  return defineVaultTool(state, {
    name: "call_api_with_secret",
    description: `Call an HTTP API with a credential from the vault, without seeing it: the tool reads the secret and puts it into a header or query parameter itself, then returns the response status and body (vault values masked). Only these destinations are allowed: ${allowedList}.`,
    inputSchema,
    outputSchema,
    check: async (context, input) => {
      const check = checkDestination(destinations, input.url, input.method, input.secretPath);
      // A brokered call reads nothing: the vault reports a pending approval when it is made.
      if (!check.allowed || check.broker !== undefined) return undefined;
      return state.checkRead(context, input.secretPath);
    },
    run: async (context, input) => {
      const { method, secretPath } = input;
      const check = checkDestination(destinations, input.url, method, secretPath);
      if (!check.allowed) return state.respond({ status: "not_allowed", message: check.reason });
      const url = check.url;

      const headers = new Headers();
      try {
        for (const [name, value] of Object.entries(input.headers ?? {})) headers.set(name, value);
        // Throws now, before any secret is read, when the name is not a valid header name.
        headers.set(input.credentialName, "");
      } catch {
        return state.respond({
          status: "invalid_request",
          message: "A header name or value is not valid HTTP. Fix the headers and try again.",
        });
      }
      headers.delete(input.credentialName);
      for (const name of RESERVED_HEADERS) headers.delete(name);

      if (check.broker !== undefined) {
        return callThroughBroker(state, context, { ...input, url, headers, route: check.broker });
      }

      let credential: string;
      try {
        const secret = await state.readSecret(context, secretPath);
        credential = secret.value;
        state.registry.add(credential);
        const refusal = secretBindingRefusal(secret, url);
        if (refusal !== undefined)
          return state.respond({ status: "not_allowed", message: refusal });
      } catch (error) {
        return state.fail(error, { path: secretPath });
      }
      if (input.credentialIn === "query") {
        url.searchParams.set(input.credentialName, credential);
      } else {
        const isAuthorization = input.credentialName.toLowerCase() === "authorization";
        const prefix = input.credentialPrefix ?? (isAuthorization ? "Bearer " : "");
        headers.set(input.credentialName, `${prefix}${credential}`);
      }

      const sent = await send(state, context, url, { method, headers, body: input.body });
      if (!sent.ok) return sent.outcome;
      return completed(state, sent.response);
    },
  });
}

interface OutgoingRequest {
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
}

type SendResult =
  | { readonly ok: true; readonly response: Response }
  | { readonly ok: false; readonly outcome: VaultToolOutcome };

/** Sends the request, never following a redirect; a network failure or timeout is an outcome. */
async function send(
  state: VaultToolState,
  context: VaultToolCallContext,
  url: URL,
  request: OutgoingRequest,
  timeout = state.options.requestTimeout,
): Promise<SendResult> {
  const signals = [AbortSignal.timeout(timeout)];
  if (context.signal !== undefined) signals.push(context.signal);
  try {
    const response = await state.options.fetch(url.toString(), {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && { body: request.body }),
      // A redirect could carry the credential (in the query) to a place nobody allowed.
      redirect: "manual",
      signal: AbortSignal.any(signals),
    });
    return { ok: true, response };
  } catch (error) {
    if (context.signal?.aborted === true) throw error;
    const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "failed";
    return {
      ok: false,
      outcome: state.respond({
        status: "request_failed",
        message: `The request to ${url.origin} ${reason} before an answer came back (${errorName(error)}).`,
      }),
    };
  }
}

/** The response as the model gets it: status, type, redirect target, and the body masked. */
async function completed(
  state: VaultToolState,
  response: Response,
  read?: { text: string; complete: boolean },
): Promise<VaultToolOutcome> {
  const limit = state.options.maxResponseCharacters;
  const { text, complete } = read ?? (await readBodyPrefix(response, readLimit(state)));
  // Masked before it is shortened, so that no cut can leave part of a value behind.
  const masked = state.registry.mask(text, { forModel: true });
  const truncated = !complete || masked.length > limit;
  const location = response.headers.get("location");
  return state.respond({
    status: "completed",
    httpStatus: response.status,
    contentType: response.headers.get("content-type"),
    ...(location !== null && { location }),
    body: masked.slice(0, limit),
    truncated,
    message: `The API answered with HTTP ${response.status}; vault values in the body are masked.`,
  });
}

function readLimit(state: VaultToolState): number {
  return state.options.maxResponseCharacters * 4 + READ_MARGIN_BYTES;
}

interface BrokeredInput {
  readonly url: URL;
  readonly method: string;
  readonly secretPath: string;
  readonly headers: Headers;
  readonly body?: string | undefined;
  readonly route: string;
}

/**
 * The call through the vault's broker route: the vault credential (the run's token, or one
 * from `request_secret_access` covering `use` on the secret) authenticates it, the vault
 * injects the secret. A per-call approval the vault asks for is reported as pending; the same
 * call made again after a person approved it carries the approval's id.
 */
async function callThroughBroker(
  state: VaultToolState,
  context: VaultToolCallContext,
  input: BrokeredInput,
): Promise<VaultToolOutcome> {
  const target = state.target(context, { action: "use", path: input.secretPath });
  if (target.vault.broker === undefined) {
    throw new TypeError(
      `call_api_with_secret: the destination ${input.url.origin} goes through broker route ${input.route}, but the vault client has no broker() method`,
    );
  }
  const connection = target.vault.broker(input.route, { token: target.options.token });
  const brokered = new URL(`${connection.baseURL}${input.url.pathname}${input.url.search}`);
  const headers = new Headers(input.headers);
  headers.set("authorization", connection.headers.authorization);
  const key = callKey(state.bucket(context), input.method, input.url, input.body);
  const approvalId = state.callApprovals.find(key);
  if (approvalId !== undefined) headers.set("x-approval-id", approvalId);
  const waitSeconds = Math.min(
    MAX_BROKER_WAIT_SECONDS,
    Math.floor(state.options.maxApprovalWait / 1000),
  );
  if (waitSeconds > 0) headers.set("prefer", `wait=${waitSeconds}`);

  const request = { method: input.method, headers, body: input.body };
  const sent = await send(
    state,
    context,
    brokered,
    request,
    state.options.requestTimeout + waitSeconds * 1000,
  );
  if (!sent.ok) return sent.outcome;
  const read = await readBodyPrefix(sent.response, readLimit(state));
  const refused = vaultErrorOf(sent.response.status, read.text);
  if (refused === undefined) {
    state.callApprovals.forget(key);
    return completed(state, sent.response, read);
  }
  const subject = { path: input.secretPath };
  if (refused.code === "APPROVAL_PENDING" && typeof refused.approval_request_id === "string") {
    state.callApprovals.remember(key, refused.approval_request_id);
  } else {
    state.callApprovals.forget(key);
  }
  const outcome = brokerRefusalOutcome(sent.response.status, refused, subject);
  if (outcome !== undefined) return state.respond(outcome);
  throw new Error(
    `call_api_with_secret: the vault refused the brokered call to ${input.url.origin} (${refused.code}, HTTP ${sent.response.status})`,
  );
}

function errorName(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof cause === "string") return cause;
  return error instanceof Error ? error.name : "unknown error";
}
