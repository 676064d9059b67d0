import { z } from "zod";
import { defineVaultTool } from "../internal/define-vault-tool.js";
import { describeSecret, secretMetadataShape } from "../internal/describe-secret.js";
import type { VaultToolState } from "../internal/vault-tool-state.js";
import { outcomeSchema } from "../vault-tool-outcome.js";

const inputSchema = z.object({
  path: z.string().min(1).describe("Path of the secret, e.g. `production/openai/api-key`."),
});

const outputSchema = outcomeSchema(
  ["ok", "not_found", "denied", "pending_approval", "rate_limited", "invalid_request"],
  secretMetadataShape,
);

/** `get_secret_metadata`: one secret's metadata and version history, never its value. */
export function getSecretMetadataTool(state: VaultToolState) {
  return defineVaultTool(state, {
    name: "get_secret_metadata",
    description:
      "Get the metadata of one secret in the vault: tier (standard, sensitive or critical: the latter two need a person's approval to read), type, description, tags, expiry and version history. Never returns the value.",
    inputSchema,
    outputSchema,
    run: async (context, { path }) => {
      const target = state.target(context, { action: "read", path });
      try {
        const metadata = await target.vault.getMetadata(path, target.options);
        return state.respond({
          status: "ok",
          ...describeSecret(metadata, true),
          message: "Metadata only; the value is never shown.",
        });
      } catch (error) {
        return state.fail(error, { path });
      }
    },
  });
}
