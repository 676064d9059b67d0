import { z } from "zod";
import { defineVaultTool } from "../internal/define-vault-tool.js";
import type { VaultToolState } from "../internal/vault-tool-state.js";
import { outcomeSchema } from "../vault-tool-outcome.js";

const inputSchema = z.object({
  path: z.string().min(1).describe("Path of the secret, e.g. `production/wifi/password`."),
  version: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("A specific version; default the current one."),
});

const outputSchema = outcomeSchema(
  ["ok", "declined", "not_found", "denied", "pending_approval", "rate_limited", "invalid_request"],
  {
    version: z.number().int().optional(),
    value: z
      .string()
      .optional()
      .describe("The secret's value (only when the developer allowed it)."),
  },
);

/**
 * `get_secret`: a secret's value, only when the developer set `revealValues: true`; otherwise
 * it declines without calling the vault.
 */
export function getSecretTool(state: VaultToolState) {
  return defineVaultTool(state, {
    name: "get_secret",
    description:
      "Read the value of a secret from the vault. Only works when the developer allowed it; otherwise it explains what to use instead. Prefer call_api_with_secret whenever the value is only needed to call an API.",
    inputSchema,
    outputSchema,
    revealsValues: state.options.revealValues,
    check: async (context, { path, version }) =>
      state.options.revealValues ? state.checkRead(context, path, version) : undefined,
    run: async (context, { path, version }) => {
      if (!state.options.revealValues) {
        return state.respond({
          status: "declined",
          path,
          message:
            "This agent is not allowed to see secret values. To use a credential, call call_api_with_secret, which puts it into the request for you; to learn about a secret, call get_secret_metadata.",
        });
      }
      try {
        const secret = await state.readSecret(context, path, version);
        // Revealed on purpose: readable to the model, still masked in traces and stored text.
        state.registry.add(secret.value, { visibleToModel: true });
        return state.respond({
          status: "ok",
          path,
          version: secret.version,
          value: secret.value,
          message: "The value is shown because the developer allowed it.",
        });
      } catch (error) {
        return state.fail(error, { path });
      }
    },
  });
}
