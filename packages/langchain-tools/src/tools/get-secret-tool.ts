import { tool } from "@langchain/core/tools";
import { z } from "zod";
import type { ToolCallRuntime, VaultToolState } from "../internal/vault-tool-state.js";

const schema = z.object({
  path: z.string().min(1).describe("Path of the secret, e.g. `production/wifi/password`."),
  version: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("A specific version; default the current one."),
});

/**
 * `get_secret`: a secret's value, only when the developer set `revealValues: true`; otherwise
 * it declines without calling the vault.
 */
export function createGetSecretTool(state: VaultToolState) {
  return tool(
    async ({ path, version }, runtime: ToolCallRuntime) => {
      if (!state.options.revealValues) {
        return state.respond({
          status: "declined",
          path,
          message:
            "This agent is not allowed to see secret values. To use a credential, call call_api_with_secret, which puts it into the request for you; to learn about a secret, call get_secret_metadata.",
        });
      }
      const target = state.target(runtime, { action: "read", path });
      try {
        const secret = await target.vault.getSecret(path, { ...target.options, version });
        // Revealed on purpose: readable to the model, still masked in traces and stored text.
        state.registry.add(secret.value, { visibleToModel: true });
        return state.respond({ status: "ok", path, version: secret.version, value: secret.value });
      } catch (error) {
        return state.fail(error, { tool: "get_secret", path });
      }
    },
    {
      name: "get_secret",
      description:
        "Read the value of a secret from the vault. Only works when the developer allowed it; otherwise it explains what to use instead. Prefer call_api_with_secret whenever the value is only needed to call an API.",
      schema,
    },
  );
}
