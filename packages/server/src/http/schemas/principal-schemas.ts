import { z } from "zod";

const name = z.string().min(1).max(200);

export const createAgentBody = z.strictObject({
  name,
  description: z.string().max(1000).nullish(),
  allowed_scopes: z
    .array(z.string().max(600))
    .min(1)
    .max(100)
    .describe(
      "The agent's ceiling: every token it issues must lie within these scopes. The hosted product's names (read:secrets, write:secrets, rotate:secrets, import:secrets, delete:secrets) mean that action on every secret, or below each of allowed_namespaces",
    ),
  allowed_namespaces: z
    .array(z.string().max(512))
    .max(100)
    .nullish()
    .describe(
      "The hosted product's field: where its scope names apply (production → secrets:read:production/*); scopes in this protocol's grammar are kept as they are",
    ),
});

export const agentResponse = z.object({
  agent_id: z.string(),
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  allowed_scopes: z.array(z.string()),
  created_at: z.string(),
  api_key_prefix: z
    .string()
    .describe("The prefix every agent key has (ass_live_); nothing of the key itself"),
  active: z.boolean().describe("Always true: a deleted agent is not listed"),
  last_active_at: z.string().nullable().describe("Not tracked: always null"),
});

export const createdAgentResponse = agentResponse.extend({
  api_key: z.string().describe("The agent key (ass_live_…); shown only in this response"),
});

export const createAdminBody = z.strictObject({ name });

export const adminResponse = z.object({
  admin_id: z.string(),
  id: z.string(),
  name: z.string(),
  is_operator: z.boolean(),
  created_at: z.string(),
});

export const createdAdminResponse = adminResponse.extend({
  api_key: z.string().describe("The admin key (ass_admin_…); shown only in this response"),
});

export const createTenantBody = z.strictObject({ name });

export const createdTenantResponse = z.object({
  tenant_id: z.string(),
  name: z.string(),
  admin_id: z.string(),
  admin_key: z.string().describe("The new tenant's first admin key; shown only in this response"),
  created_at: z.string(),
});

export const idParams = z.strictObject({ id: z.string().min(1).max(128) });

/** `POST /v1/agents/{id}/rotate-key` and `POST /v1/admins/{id}/rotate-key`. */
export const rotateKeyBody = z
  .strictObject({
    revoke_tokens: z
      .boolean()
      .optional()
      .describe(
        "Also revoke every token the old key issued, with their descendants (default false: they stay valid)",
      ),
  })
  .nullish();

export const rotatedKeyResponse = z.object({
  id: z.string(),
  api_key: z.string().describe("The new key, shown this once; the old one no longer works"),
  revoked_tokens: z.number().int().describe("Tokens revoked with the old key (revoke_tokens)"),
});
