import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { describeSecret } from "../internal/describe-secret.js";
import type { ToolCallRuntime, VaultToolState } from "../internal/vault-tool-state.js";

const schema = z.object({
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

/** `list_secrets`: the metadata of the secrets below a namespace, never their values. */
export function createListSecretsTool(state: VaultToolState) {
  return tool(
    async ({ namespace, cursor }, runtime: ToolCallRuntime) => {
      const target = state.target(runtime, { action: "read", path: `${namespace}/*` });
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
        return state.fail(error, { tool: "list_secrets", path: namespace });
      }
    },
    {
      name: "list_secrets",
      description:
        "List the secrets stored below a namespace in the secret vault: their paths, tiers, descriptions, tags and versions. Never returns values. Use it to find the path of a credential before using it.",
      schema,
    },
  );
}
