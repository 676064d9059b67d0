import { z } from "zod";
import type { VaultClient } from "./vault-client.js";

/**
 * What the vault tools read from the agent's runtime context
 * (`agent.invoke(input, { context: { … } })`): the credential for this run, supplied by your
 * code, never by the model. Give one of the two, or neither to use the client the tools were
 * made with.
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

function isVaultClient(value: unknown): value is VaultClient {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { getSecret?: unknown }).getSecret === "function"
  );
}

/**
 * A zod schema of {@link VaultToolContext}, for agents that declare a `contextSchema`
 * (LangChain validates the context against it and drops unknown keys): extend it with your
 * own fields.
 *
 * @example
 * const agent = createAgent({ model, tools, contextSchema: vaultContextSchema.extend({ userId: z.string() }) });
 */
export const vaultContextSchema = z.object({
  vault: z.custom<VaultClient>(isVaultClient, "vault must be an AgentVault client").optional(),
  vaultToken: z.string().min(1).optional(),
});
