import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { iso } from "../internal/describe-secret.js";
import { generateSchema, generateValue } from "../internal/generate-value.js";
import type { ToolCallRuntime, VaultToolState } from "../internal/vault-tool-state.js";

const schema = z.object({
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

/** `rotate_secret`: replaces a secret's value with a new version; the old one works for a grace period. */
export function createRotateSecretTool(state: VaultToolState) {
  return tool(
    async ({ path, newValue, generate, gracePeriodSeconds }, runtime: ToolCallRuntime) => {
      if ((newValue === undefined) === (generate === undefined)) {
        return state.respond({
          status: "invalid_request",
          message: "Give exactly one of newValue or generate.",
        });
      }
      const value = newValue ?? generateValue(generate ?? { length: 32, alphabet: "alphanumeric" });
      state.registry.add(value);
      const target = state.target(runtime, { action: "write", path });
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
        return state.fail(error, { tool: "rotate_secret", path });
      }
    },
    {
      name: "rotate_secret",
      description:
        "Rotate a secret: store a new value (given, or generated so that nobody sees it) as a new version, keeping the old one readable for a grace period. The value is never returned.",
      schema,
    },
  );
}
