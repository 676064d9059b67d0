import { TIERS } from "@agentsecretstore/protocol";
import { z } from "zod";
import { defineVaultTool } from "../internal/define-vault-tool.js";
import { generateSchema, generateValue } from "../internal/generate-value.js";
import type { VaultToolState } from "../internal/vault-tool-state.js";
import { outcomeSchema } from "../vault-tool-outcome.js";

const inputSchema = z.object({
  path: z.string().min(1).describe("Where to store it, e.g. `production/webhooks/signing-secret`."),
  value: z
    .string()
    .min(1)
    .optional()
    .describe("The value to store. Leave it out and use generate for a new random credential."),
  generate: generateSchema.optional(),
  tier: z
    .enum(TIERS)
    .optional()
    .describe(
      "Who must approve reads: standard (nobody), sensitive (one person), critical (two people). Default: unchanged, or standard for a new secret.",
    ),
  description: z.string().max(500).optional().describe("What the secret is for."),
  createOnly: z
    .boolean()
    .optional()
    .describe("Fail with conflict instead of adding a version when a secret already exists there."),
});

const outputSchema = outcomeSchema(
  ["stored", "invalid_request", "conflict", "denied", "rate_limited", "not_found"],
  {
    version: z.number().int().optional().describe("The version just stored."),
    tier: z.string().optional(),
    generated: z.boolean().optional().describe("Whether the tool generated the value."),
  },
);

/** `set_secret`: stores a value the agent produced (or generates one); never echoes it. */
export function setSecretTool(state: VaultToolState) {
  return defineVaultTool(state, {
    name: "set_secret",
    description:
      "Store a secret in the vault (a new secret, or a new version of an existing one). Use generate to create a random credential that nobody sees. The stored value is never returned.",
    inputSchema,
    outputSchema,
    run: async (context, { path, value, generate, tier, description, createOnly }) => {
      if ((value === undefined) === (generate === undefined)) {
        return state.respond({
          status: "invalid_request",
          message: "Give exactly one of value or generate.",
        });
      }
      const stored = value ?? generateValue(generate ?? { length: 32, alphabet: "alphanumeric" });
      // Registered before it is sent, so that nothing said about this call can carry it.
      state.registry.add(stored);
      const target = state.target(context, { action: "write", path });
      try {
        const metadata = await target.vault.setSecret(path, stored, {
          ...target.options,
          tier,
          description,
          ifVersion: createOnly === true ? 0 : undefined,
        });
        return state.respond({
          status: "stored",
          path: metadata.path,
          version: metadata.version,
          tier: metadata.tier,
          generated: generate !== undefined,
          message:
            "Stored. The value is not shown again; use call_api_with_secret with this path when it is needed.",
        });
      } catch (error) {
        return state.fail(error, { path });
      }
    },
  });
}
