import type { VaultToolsOptions as SharedVaultToolsOptions } from "@agentsecretstore/agent-tools";

/** Options of `createVaultTools` and `AgentVaultToolkit`. */
export interface VaultToolsOptions extends SharedVaultToolsOptions {
  /**
   * What the tools do when a person must approve access: `"report"` returns a
   * `pending_approval` result with the request id; `"interrupt"` pauses the LangGraph run
   * with `interrupt({ type: "vault_approval_pending", approvalRequestId, … })` (needs a
   * checkpointer) so that the run resumes where it stopped once you send
   * `new Command({ resume: … })`. The tool then asks the vault again; the resume value is
   * not trusted as an approval.
   * @default "report"
   */
  onApprovalPending?: "report" | "interrupt";
}
