import { z } from "zod";

const issue = z.object({ field: z.string(), message: z.string() });

/**
 * docs/protocol.md's error body: `{"error": {"code", "message", ...details}, "detail": message}`.
 */
export const errorBody = z.object({
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      issues: z.array(issue).optional(),
      path: z.string().optional(),
      required_scope: z.string().optional(),
      version: z.number().int().optional(),
      current_version: z.number().int().optional(),
      limit: z.number().int().optional(),
      retry_after: z.number().int().optional(),
      approval_request_id: z.string().optional(),
      approval_id: z.string().optional(),
    })
    .loose(),
  detail: z
    .string()
    .optional()
    .describe("The error's message again, for clients that read only `detail`"),
});

const DESCRIPTIONS: Record<number, string> = {
  202: "APPROVAL_PENDING: waiting for a person; details approval_request_id, approval_id",
  400: "VALIDATION_ERROR: details issues [{field, message}]",
  401: "UNAUTHORIZED: unknown, expired, revoked or used-up credential",
  403: "SCOPE_DENIED (path, required_scope), IP_NOT_ALLOWED, APPROVAL_DENIED, or DESTINATION_NOT_ALLOWED (path, route: a brokered call outside the secret's allowed_destinations)",
  404: "SECRET_NOT_FOUND (path, version?) or NOT_FOUND",
  412: "PRECONDITION_FAILED: details current_version",
  413: "PAYLOAD_TOO_LARGE: details limit",
  409: "CONFLICT; an approval decision the policy refuses carries reason (same_approver_twice, self_approval, approver_too_new, already_decided, not_pending with status)",
  423: "INTEGRITY_FAILED: the stored secret was changed outside the server (a tier, version, expiry or retirement that does not match its MAC, or a value that does not open) and is refused; details path",
  429: "RATE_LIMITED: details retry_after (seconds); headers Retry-After and RateLimit-Limit, -Remaining, -Reset",
  500: "INTERNAL: nothing internal is disclosed",
  502: "UPSTREAM_FAILED: a broker route's upstream could not be reached or broke off; details route",
  503: "UNAVAILABLE: this instance does not hold the vault's current master key (it missed a rotation; another instance may answer); RATE_LIMITED: the instance holds all the long-polls it may (details retry_after, header Retry-After); INTERNAL while shutting down",
  504: "UPSTREAM_TIMEOUT: a broker route's upstream did not answer in time; details route",
};

const described = new Map<number, z.ZodType>();

/**
 * Response schemas for the given error statuses, each described for the OpenAPI document. One
 * schema object per status for the whole process, so its compiled serialiser is shared too.
 */
export function errorResponses(...statuses: number[]): Record<number, z.ZodType> {
  const responses: Record<number, z.ZodType> = {};
  for (const status of statuses) {
    let schema = described.get(status);
    if (schema === undefined) {
      schema = errorBody.describe(DESCRIPTIONS[status] ?? "Error");
      described.set(status, schema);
    }
    responses[status] = schema;
  }
  return responses;
}

/**
 * The errors every authenticated route can answer with (429: its rate limits; 503: shutting down,
 * or an instance without the vault's current master key).
 */
export const AUTHENTICATED_ERRORS = [400, 401, 403, 413, 429, 500, 503] as const;
