import { z } from "zod";
import { defineVaultTool } from "../internal/define-vault-tool.js";
import { checkDestination, parseDestinations } from "../internal/destination-policy.js";
import { readBodyPrefix } from "../internal/read-body.js";
import type { VaultToolState } from "../internal/vault-tool-state.js";
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

// Headers the model may not set: where the request goes, and the credential's own header.
const RESERVED_HEADERS = new Set(["host", "content-length"]);
// Room to mask a value cut at the read limit before the text is shortened (values are ≤ 64 KiB).
const READ_MARGIN_BYTES = 64 * 1024;

/**
 * `call_api_with_secret`: an HTTP request in which the tool puts a credential from the vault
 * into a header or query parameter, only to destinations the developer allowed; the response
 * comes back with every vault value masked.
 */
export function callApiWithSecretTool(state: VaultToolState) {
  const destinations = parseDestinations(state.options.allowedDestinations);
  const allowedList = destinations
    .flatMap((destination) =>
      destination.pathPrefixes.map((prefix) => `${destination.origin}${prefix}`),
    )
    .join(", ");
  return defineVaultTool(state, {
    name: "call_api_with_secret",
    description: `Call an HTTP API with a credential from the vault, without seeing it: the tool reads the secret and puts it into a header or query parameter itself, then returns the response status and body (vault values masked). Only these destinations are allowed: ${allowedList}.`,
    inputSchema,
    outputSchema,
    check: async (context, input) => {
      const check = checkDestination(destinations, input.url, input.method, input.secretPath);
      return check.allowed ? state.checkRead(context, input.secretPath) : undefined;
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

      let credential: string;
      try {
        credential = (await state.readSecret(context, secretPath)).value;
      } catch (error) {
        return state.fail(error, { path: secretPath });
      }
      state.registry.add(credential);
      if (input.credentialIn === "query") {
        url.searchParams.set(input.credentialName, credential);
      } else {
        const isAuthorization = input.credentialName.toLowerCase() === "authorization";
        const prefix = input.credentialPrefix ?? (isAuthorization ? "Bearer " : "");
        headers.set(input.credentialName, `${prefix}${credential}`);
      }

      const signals = [AbortSignal.timeout(state.options.requestTimeout)];
      if (context.signal !== undefined) signals.push(context.signal);
      let response: Response;
      try {
        response = await state.options.fetch(url.toString(), {
          method,
          headers,
          ...(input.body !== undefined && { body: input.body }),
          // A redirect could carry the credential (in the query) to a place nobody allowed.
          redirect: "manual",
          signal: AbortSignal.any(signals),
        });
      } catch (error) {
        if (context.signal?.aborted === true) throw error;
        const reason =
          error instanceof Error && error.name === "TimeoutError" ? "timed out" : "failed";
        return state.respond({
          status: "request_failed",
          message: `The request to ${url.origin} ${reason} before an answer came back (${errorName(error)}).`,
        });
      }

      const limit = state.options.maxResponseCharacters;
      const { text, complete } = await readBodyPrefix(response, limit * 4 + READ_MARGIN_BYTES);
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
    },
  });
}

function errorName(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof cause === "string") return cause;
  return error instanceof Error ? error.name : "unknown error";
}
