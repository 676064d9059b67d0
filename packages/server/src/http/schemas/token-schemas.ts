import { z } from "zod";
import { DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS } from "../../vault/token-request.js";

const ipList = z
  .array(z.string().max(64))
  .max(100)
  .nullish()
  .describe("IPv4/IPv6 addresses or CIDR ranges the token may be used from");

/** `POST /v1/tokens`. Both API generations' names are accepted; `null` means not given. */
export const createTokenBody = z.strictObject({
  scope: z.string().max(600).nullish().describe("One scope, e.g. secrets:read:production/openai/*"),
  scopes: z.array(z.string().max(600)).max(50).nullish().describe("Newer form: several scopes"),
  ttl_seconds: z
    .number()
    .int()
    .nullish()
    .describe(
      `Lifetime in seconds, 1–${MAX_TOKEN_TTL_SECONDS} (default ${DEFAULT_TOKEN_TTL_SECONDS}; a child token's default is capped by its parent's remaining lifetime)`,
    ),
  ttl: z
    .union([z.string().max(16), z.number().int()])
    .nullish()
    .describe('Newer form of ttl_seconds: "90s", "15m", "1h", "1d" or seconds'),
  description: z.string().max(1000).nullish(),
  allowed_ips: ipList,
  ip_allowlist: ipList.describe("Newer name of allowed_ips"),
  max_uses: z
    .number()
    .int()
    .min(1)
    .nullish()
    .describe(
      "Uses allowed (null = unlimited). A child of a use-limited parent takes its uses out of the parent's remaining ones; its default is all of them",
    ),
});

export const approvalStatusSchema = z.enum(["approved", "pending", "denied"]);

const tokenFields = {
  token_id: z.string(),
  scope: z.string().describe("The first scope"),
  scopes: z.array(z.string()),
  ttl_seconds: z.number().int(),
  ttl: z.string().describe("ttl_seconds in the newer duration form, e.g. 3600s"),
  expires_at: z.string(),
  description: z.string().nullable(),
  allowed_ips: z.array(z.string()).nullable(),
  ip_allowlist: z.array(z.string()).nullable().describe("Same as allowed_ips"),
  max_uses: z.number().int().nullable(),
  uses_remaining: z.number().int().nullable(),
  approval_status: approvalStatusSchema,
  approval_request_id: z.string().nullable(),
  approval_id: z.string().nullable().describe("Same as approval_request_id"),
  requires_approval: z.boolean(),
  parent_token_id: z.string().nullable(),
  created_at: z.string(),
};

/** The issued token: shown once, with its value in `token` and `value`. */
export const tokenResponse = z.object({
  token: z.string().describe("The token (ast_tok_…); shown only in this response"),
  value: z.string().describe("Same as token"),
  ...tokenFields,
});

/** `GET /v1/tokens/self`: the record, never the value. */
export const tokenSelfResponse = z.object({
  ...tokenFields,
  uses: z.number().int(),
  revoked_at: z.string().nullable(),
  issuer_type: z.enum(["agent", "admin", "token"]),
});

export const tokenIdParams = z.strictObject({
  token_id: z.string().min(1).max(128),
});
