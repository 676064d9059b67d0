import { z } from "zod";
import { checkApproval } from "../internal/check-approval.js";
import { defineVaultTool } from "../internal/define-vault-tool.js";
import type { VaultToolState } from "../internal/vault-tool-state.js";
import { outcomeSchema } from "../vault-tool-outcome.js";

const baseInput = z.object({
  approvalRequestId: z
    .string()
    .min(1)
    .describe("The approvalRequestId from a pending_approval result."),
});

/** The input, with `waitSeconds` when the developer allows waiting. */
function inputSchemaFor(maxWaitSeconds: number) {
  return baseInput.extend({
    waitSeconds: z
      .number()
      .int()
      .min(0)
      .max(maxWaitSeconds)
      .optional()
      .describe(
        `Wait up to this many seconds (at most ${maxWaitSeconds}) for a person to decide; default 0 (answer at once).`,
      ),
  });
}

const outputSchema = outcomeSchema(
  [
    "pending",
    "approved",
    "denied",
    "cancelled",
    "expired",
    "not_found",
    "rate_limited",
    "invalid_request",
  ],
  {
    approvalsReceived: z.number().int().optional().describe("Approvals given so far."),
    requiredApprovals: z.number().int().optional().describe("Approvals the request needs."),
    decidedAt: z.string().nullable().optional().describe("When it was decided (ISO 8601)."),
  },
);

/** `check_approval_status`: whether a person has decided an approval request yet. */
export function checkApprovalStatusTool(state: VaultToolState) {
  const maxWaitSeconds = Math.floor(state.options.maxApprovalWait / 1000);
  // Without waiting allowed, the model is not offered a waitSeconds argument at all.
  const inputSchema = maxWaitSeconds > 0 ? inputSchemaFor(maxWaitSeconds) : baseInput;
  return defineVaultTool(state, {
    name: "check_approval_status",
    description:
      "Check whether a person has approved or denied a pending access request. Call it when the user says they approved, or before retrying something that was pending_approval; do not call it in a loop.",
    inputSchema,
    outputSchema,
    run: async (context, input) => {
      const waitSeconds = "waitSeconds" in input ? Number(input.waitSeconds ?? 0) : 0;
      try {
        const decision = await checkApproval(
          state,
          context,
          input.approvalRequestId,
          waitSeconds * 1000,
        );
        return state.respond(decision);
      } catch (error) {
        return state.fail(error, {});
      }
    },
  });
}
