import type { z } from "zod";
import type { VaultTool } from "../vault-tool.js";
import type { VaultToolCallContext } from "../vault-tool-context.js";
import type { PendingApprovalOutcome, VaultToolOutcome } from "../vault-tool-outcome.js";
import type { VaultToolName } from "../vault-tools-options.js";
import type { VaultToolState } from "./vault-tool-state.js";

interface Definition<Input extends z.ZodObject> {
  readonly name: VaultToolName;
  readonly description: string;
  readonly inputSchema: Input;
  readonly outputSchema: z.ZodObject;
  readonly revealsValues?: boolean;
  /** The tool's work, on input already checked (defaults applied). */
  readonly run: (
    context: VaultToolCallContext,
    input: z.output<Input>,
  ) => Promise<VaultToolOutcome>;
  /** Whether the call would wait on a person (see `VaultTool.approvalCheck`). */
  readonly check?: (
    context: VaultToolCallContext,
    input: z.output<Input>,
  ) => Promise<PendingApprovalOutcome | undefined>;
}

/** A {@link VaultTool} whose `execute` checks the model's input before running the tool. */
export function defineVaultTool<Input extends z.ZodObject>(
  state: VaultToolState,
  definition: Definition<Input>,
): VaultTool<Input> {
  const { run, check, revealsValues, ...described } = definition;
  return {
    ...described,
    revealsValues: revealsValues === true,
    ...(check !== undefined && {
      approvalCheck: async (context: VaultToolCallContext, input: z.input<Input>) => {
        const parsed = definition.inputSchema.safeParse(input);
        return parsed.success ? check(context, parsed.data) : undefined;
      },
    }),
    async execute(context, input) {
      const parsed = definition.inputSchema.safeParse(input);
      if (!parsed.success) {
        return state.respond({
          status: "invalid_request",
          message: `The arguments of ${definition.name} are not valid. Fix them and try again.`,
          issues: parsed.error.issues.map((issue) => ({
            field: issue.path.join(".") || "(input)",
            message: issue.message,
          })),
        });
      }
      return run(context, parsed.data);
    },
  };
}
