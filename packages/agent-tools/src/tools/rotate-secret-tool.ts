import { z } from "zod";
import { defineVaultTool } from "../internal/define-vault-tool.js";
import { iso } from "../internal/describe-secret.js";
import { generateSchema, generateValue } from "../internal/generate-value.js";
import type { VaultToolState } from "../internal/vault-tool-state.js";
import { outcomeSchema } from "../vault-tool-outcome.js";

const inputSchema = z.object({
  path: z.string().min(1).describe("Path of the secret to rotate."),
  newValue: z
    .string()
    .min(1)
    .optional()
    .describe("The new value. Leave it out and use generate for a new random value."),
  generate: generateSchema.optional(),
  gracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(2_592_000)
    .optional()
    .describe(
      "How long the old value keeps working, in seconds, so that running services can move over. Default 0.",
    ),
});

const outputSchema = outcomeSchema(
  ["rotated", "invalid_request", "not_found", "denied", "conflict", "rate_limited"],
  {
    newVersion: z.number().int().optional(),
    oldVersion: z.number().int().optional(),
    oldVersionReadableUntil: z.string().nullable().optional().describe("ISO 8601."),
  },
);

/** `rotate_secret`: replaces a secret's value with a new version; the old one works for a grace period. */
export function rotateSecretTool(state: VaultToolState) {
  return defineVaultTool(state, {
    name: "rotate_secret",
    description:
      "Rotate a secret: store a new value (given, or generated so that nobody sees it) as a new version, keeping the old one readable for a grace period. The value is never returned.",
    inputSchema,
    outputSchema,
    run: async (context, { path, newValue, generate, gracePeriodSeconds }) => {
      if ((newValue === undefined) === (generate === undefined)) {
        return state.respond({
          status: "invalid_request",
          message: "Give exactly one of newValue or generate.",
        });
      }
      const value = newValue ?? generateValue(generate ?? { length: 32, alphabet: "alphanumeric" });
      state.registry.add(value);
      const target = state.target(context, { action: "write", path });
      try {
        const rotation = await target.vault.rotateSecret(path, value, {
          ...target.options,
          gracePeriodSeconds,
        });
        return state.respond({
          status: "rotated",
          path: rotation.path,
          newVersion: rotation.newVersion,
          oldVersion: rotation.oldVersion,
          oldVersionReadableUntil: iso(rotation.expiresAt),
          message: "Rotated. The new value is not shown.",
        });
      } catch (error) {
        return state.fail(error, { path });
      }
    },
  });
}
