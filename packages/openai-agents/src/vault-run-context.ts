import { type VaultToolCallContext, vaultContextOf } from "@agentsecretstore/agent-tools";

/**
 * What the vault tools read from `run(agent, input, { context })` (never from the model): the
 * credential for this run, and which run it is. Give `vault` or `vaultToken`, or neither to use
 * the client the tools were made with. Your own fields may sit beside these.
 */
export interface VaultRunContext {
  /** A client to make every vault call with (for example a subagent's `new AgentVault({ token })`). */
  vault?: import("@agentsecretstore/agent-tools").VaultClient | undefined;
  /** A scoped token (`ast_tok_…`) to present on every vault call, through the tools' client. */
  vaultToken?: string | undefined;
  /**
   * Which run (conversation) the call belongs to: tokens obtained with `request_secret_access`
   * are kept per run.
   * @default the run's own context object (a resumed run keeps it)
   */
  runId?: string | undefined;
}

// Runs told apart by their context object when they name no runId: a resumed run's state
// carries the same object, so its tokens are found again.
const runIds = new WeakMap<object, string>();
let nextRun = 0;

/** The tools' call context for the Agents SDK's run context. */
export function callContextOf(
  runContext: { context?: unknown } | undefined,
  signal?: AbortSignal,
): VaultToolCallContext {
  const context = runContext?.context;
  const named =
    typeof context === "object" && context !== null
      ? (context as { runId?: unknown }).runId
      : undefined;
  return {
    ...vaultContextOf(context),
    runId: typeof named === "string" && named !== "" ? named : anonymousRun(context ?? runContext),
    signal,
  };
}

function anonymousRun(holder: unknown): string | undefined {
  if (typeof holder !== "object" || holder === null) return undefined;
  let id = runIds.get(holder);
  if (id === undefined) {
    nextRun += 1;
    id = `agents-run-${nextRun}`;
    runIds.set(holder, id);
  }
  return id;
}
