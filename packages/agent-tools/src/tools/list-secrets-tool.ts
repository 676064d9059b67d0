import { z } from "zod";
import { defineVaultTool } from "../internal/define-vault-tool.js";
import { describeSecret, secretMetadataShape } from "../internal/describe-secret.js";
import type { VaultToolState } from "../internal/vault-tool-state.js";
import { outcomeSchema } from "../vault-tool-outcome.js";

const inputSchema = z.object({
  namespace: z
    .string()
    .min(1)
    .describe(
      "Namespace to list, e.g. `production` or `production/openai`. Lists everything below it.",
    ),
  cursor: z
    .string()
    .optional()
    .describe("`nextCursor` from an earlier list_secrets result, to get the next page."),
});

const outputSchema = outcomeSchema(
  ["ok", "not_found", "denied", "rate_limited", "invalid_request"],
  {
    namespace: z.string().optional(),
    secrets: z
      .array(z.object(secretMetadataShape))
      .optional()
      .describe("Metadata only, never values."),
    nextCursor: z.string().nullable().optional().describe("Pass it as cursor for the next page."),
  },
);

/** `list_secrets`: the metadata of the secrets below a namespace, never their values. */
export function listSecretsTool(state: VaultToolState) {
  return defineVaultTool(state, {
    name: "list_secrets",
    description:
      "List the secrets stored below a namespace in the secret vault: their paths, tiers, descriptions, tags and versions. Never returns values. Use it to find the path of a credential before using it.",
    inputSchema,
    outputSchema,
    run: async (context, { namespace, cursor }) => {
      const target = state.target(context, { action: "read", path: `${namespace}/*` });
      try {
        const page = await target.vault.listSecrets(namespace, {
          ...target.options,
          limit: state.options.listLimit,
          cursor,
        });
        return state.respond({
          status: "ok",
          namespace,
          secrets: page.items.map((item) => describeSecret(item)),
          nextCursor: page.nextCursor,
          message:
            page.items.length === 0
              ? `No secrets this agent can read exist below ${namespace}.`
              : "Metadata only; values are never listed.",
        });
      } catch (error) {
        return state.fail(error, { path: namespace });
      }
    },
  });
}
