import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { describeSecret } from "../internal/describe-secret.js";
import type { ToolCallRuntime, VaultToolState } from "../internal/vault-tool-state.js";

const schema = z.object({
  path: z.string().min(1).describe("Path of the secret, e.g. `production/openai/api-key`."),
});

/** `get_secret_metadata`: one secret's metadata and version history, never its value. */
export function createGetSecretMetadataTool(state: VaultToolState) {
  return tool(
    async ({ path }, runtime: ToolCallRuntime) => {
      const target = state.target(runtime, { action: "read", path });
      try {
        const metadata = await target.vault.getMetadata(path, target.options);
        return state.respond({ status: "ok", ...describeSecret(metadata, true) });
      } catch (error) {
        return state.fail(error, { tool: "get_secret_metadata", path });
      }
    },
    {
      name: "get_secret_metadata",
      description:
        "Get the metadata of one secret in the vault: tier (standard, sensitive or critical: the latter two need a person's approval to read), type, description, tags, expiry and version history. Never returns the value.",
      schema,
    },
  );
}
