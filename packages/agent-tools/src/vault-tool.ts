import type { z } from "zod";
import type { VaultToolCallContext } from "./vault-tool-context.js";
import type { PendingApprovalOutcome, VaultToolOutcome } from "./vault-tool-outcome.js";
import type { VaultToolName } from "./vault-tools-options.js";

/**
 * One vault tool, independent of any agent framework: what the model is told (`name`,
 * `description`, `inputSchema`), what it answers (`outputSchema`), and `execute`. Adapters
 * (LangChain, AI SDK, OpenAI Agents, MCP) bind it to their framework's tool type in a few
 * lines: the input comes from the model, the context from the run.
 */
export interface VaultTool<Input extends z.ZodObject = z.ZodObject> {
  readonly name: VaultToolName;
  /** For the model: what the tool does and when to use it. */
  readonly description: string;
  /** The model's arguments (zod 4; every field has a description). */
  readonly inputSchema: Input;
  /** The shape of every outcome `execute` resolves with (an object; `status` decides the rest). */
  readonly outputSchema: z.ZodObject;
  /**
   * Whether a successful outcome carries a secret value: only `get_secret`, and only when the
   * developer set `revealValues: true`. Every other tool's outcome never carries one.
   */
  readonly revealsValues: boolean;
  /**
   * Runs the tool. `input` is checked against `inputSchema` (defaults applied); invalid input
   * resolves with an `invalid_request` outcome. Not-found, denied, pending, rate-limited and
   * other answers the model can act on resolve as outcomes; authentication, configuration,
   * network and server failures reject with the client's error (which never holds a value).
   * Every value the vault handed out is registered in the toolset's registry and masked in the
   * outcome.
   */
  execute(context: VaultToolCallContext, input: z.input<Input>): Promise<VaultToolOutcome>;
  /**
   * Asks the vault whether this call would wait on a person, before it runs (for frameworks
   * that pause a run for a human, such as the Agents SDK's `needsApproval`): resolves with the
   * `pending_approval` outcome, or `undefined` when the call would go ahead or fail otherwise.
   * Only tools whose work can wait on a person have it (`request_secret_access`, which asks for
   * its token here and reuses it when run; `call_api_with_secret` and `get_secret`, which read
   * the secret here and keep it for the call that follows, so the vault is read once).
   */
  readonly approvalCheck?: (
    context: VaultToolCallContext,
    input: z.input<Input>,
  ) => Promise<PendingApprovalOutcome | undefined>;
}
