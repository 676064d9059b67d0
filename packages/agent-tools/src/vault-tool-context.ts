import { z } from "zod";
import type { VaultClient } from "./vault-client.js";

/**
 * The credential for one run, supplied by your code through the framework's run context (never
 * by the model): a client, or a scoped token for the client the tools were made with. Give one
 * of the two, or neither to use the client the tools were made with.
 */
export interface VaultToolContext {
  /** A client to make every vault call with (for example a subagent's `new AgentVault({ token })`). */
  vault?: VaultClient | undefined;
  /**
   * A scoped token (`ast_tok_…`) to present on every vault call, through the client the tools
   * were made with.
   */
  vaultToken?: string | undefined;
}

/** What {@link VaultTool.execute} is told about the call, besides the model's input. */
export interface VaultToolCallContext extends VaultToolContext {
  /**
   * Which run (conversation, thread) the call belongs to. Tokens obtained with
   * `request_secret_access` are kept per run and used only within it.
   * @default one run shared by every call without a `runId`
   */
  runId?: string | undefined;
  /** Aborts the vault call (and the HTTP request of `call_api_with_secret`). */
  signal?: AbortSignal | undefined;
}

function isVaultClient(value: unknown): value is VaultClient {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { getSecret?: unknown }).getSecret === "function"
  );
}

/**
 * The {@link VaultToolContext} found in a framework's run context (an object that may hold
 * `vault` and `vaultToken` among other fields): anything else, or a field of the wrong type,
 * is ignored.
 */
export function vaultContextOf(context: unknown): VaultToolContext {
  if (typeof context !== "object" || context === null) return {};
  const { vault, vaultToken } = context as Record<string, unknown>;
  return {
    vault: isVaultClient(vault) ? vault : undefined,
    vaultToken: typeof vaultToken === "string" && vaultToken !== "" ? vaultToken : undefined,
  };
}

/**
 * A zod schema of {@link VaultToolContext}, for frameworks that validate a run context
 * (LangChain's `contextSchema`, the AI SDK's `contextSchema`): extend it with your own fields.
 *
 * @example
 * const contextSchema = vaultContextSchema.extend({ userId: z.string() });
 */
export const vaultContextSchema = z.object({
  vault: z.custom<VaultClient>(isVaultClient, "vault must be an AgentVault client").optional(),
  vaultToken: z.string().min(1).optional(),
});
