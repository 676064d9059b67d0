import { z } from "zod";
import type { AccessGrant } from "../internal/access-grants.js";
import { checkApproval } from "../internal/check-approval.js";
import { defineVaultTool } from "../internal/define-vault-tool.js";
import type { VaultToolState } from "../internal/vault-tool-state.js";
import type { VaultToolCallContext } from "../vault-tool-context.js";
import { isPendingApproval, outcomeSchema, type VaultToolOutcome } from "../vault-tool-outcome.js";

const inputSchema = z.object({
  path: z
    .string()
    .min(1)
    .describe(
      "Secret path, or a pattern, to get access to: `production/stripe/api-key`, or `production/stripe/*` for everything below `production/stripe`.",
    ),
  access: z.enum(["read", "write"]).default("read").describe("Read values, or write new ones."),
  reason: z
    .string()
    .min(1)
    .max(500)
    .describe("Why the access is needed, in one sentence; the person who approves reads it."),
});

const outputSchema = outcomeSchema(
  ["approved", "pending_approval", "denied", "invalid_request", "rate_limited", "not_found"],
  {
    accessHandle: z
      .string()
      .optional()
      .describe("approved: a name for the access (not a credential)."),
    expiresAt: z
      .string()
      .nullable()
      .optional()
      .describe("approved: when the access ends (ISO 8601)."),
  },
);

/**
 * `request_secret_access`: asks the vault for a short-lived scoped token. The token stays in
 * the toolset's per-run store and is used by the other tools for the paths it covers; the
 * model only learns the outcome and a handle. Asked again with the same scope in the same run
 * (a resumed run, or after a person decided), it reuses that token and asks the vault whether
 * the approval came.
 */
export function requestSecretAccessTool(state: VaultToolState) {
  const run = async (
    context: VaultToolCallContext,
    { path, access, reason }: z.output<typeof inputSchema>,
  ): Promise<VaultToolOutcome> => {
    const scope = `secrets:${access}:${path}`;
    const bucket = state.bucket(context);
    let grant = state.grants.findByScopes(bucket, [scope]);
    try {
      if (grant === undefined) {
        const target = state.target(context);
        const token = await target.vault.requestToken({
          ...target.options,
          scope,
          ttlSeconds: state.options.accessTokenTtlSeconds,
          maxUses: state.options.accessTokenMaxUses ?? undefined,
          description: reason,
        });
        state.registry.add(token.value);
        if (token.approvalStatus === "denied") return state.respond(denied(scope));
        grant = state.grants.add(bucket, {
          scopes: [scope],
          token: token.value,
          tokenId: token.tokenId,
          status: token.approvalStatus === "approved" ? "approved" : "pending",
          approvalRequestId: token.approvalRequestId,
          expiresAt: token.expiresAt,
          issuer: { vault: target.vault, token: target.options.token },
        });
      } else if (grant.status === "pending" && grant.approvalRequestId !== null) {
        await checkApproval(state, context, grant.approvalRequestId);
      }
    } catch (error) {
      return state.fail(error, { scope });
    }
    if (grant.status === "approved") return state.respond(approved(grant, scope));
    if (grant.status === "denied") return state.respond(denied(scope));
    return state.pending(grant.approvalRequestId, { scope });
  };

  return defineVaultTool(state, {
    name: "request_secret_access",
    description:
      "Ask the vault for access to a secret (or every secret below a path) that this agent may not use yet. The answer is approved, pending_approval (a person must approve; you get an approvalRequestId) or denied. Granted access is used automatically by the other vault tools; you never see a token.",
    inputSchema,
    outputSchema,
    run,
    // Asking for the token is the tool's own work; run again, it reuses that token.
    check: async (context, input) => {
      const outcome = await run(context, input).catch(() => undefined);
      return outcome !== undefined && isPendingApproval(outcome) ? outcome : undefined;
    },
  });
}

function approved(grant: AccessGrant, scope: string): VaultToolOutcome {
  return {
    status: "approved",
    scope,
    accessHandle: grant.handle,
    expiresAt: grant.expiresAt?.toISOString() ?? null,
    message:
      "Access granted. The other vault tools use it automatically for the paths it covers until it expires.",
  };
}

function denied(scope: string): VaultToolOutcome {
  return {
    status: "denied",
    scope,
    message: "The vault denied this access. Do not ask again unless the user says so.",
  };
}
