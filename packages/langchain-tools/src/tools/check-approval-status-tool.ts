import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { checkApproval } from "../internal/check-approval.js";
import type { ToolCallRuntime, VaultToolState } from "../internal/vault-tool-state.js";

const schema = z.object({
  approvalRequestId: z
    .string()
    .min(1)
    .describe("The approvalRequestId from a pending_approval result."),
});

/** `check_approval_status`: whether a person has decided an approval request yet. */
export function createCheckApprovalStatusTool(state: VaultToolState) {
  return tool(
    async ({ approvalRequestId }, runtime: ToolCallRuntime) => {
      try {
        const decision = await checkApproval(state, runtime, approvalRequestId);
        return state.respond(decision);
      } catch (error) {
        return state.fail(error, { tool: "check_approval_status" });
      }
    },
    {
      name: "check_approval_status",
      description:
        "Check whether a person has approved or denied a pending access request. Call it when the user says they approved, or before retrying something that was pending_approval; do not call it in a loop.",
      schema,
    },
  );
}
