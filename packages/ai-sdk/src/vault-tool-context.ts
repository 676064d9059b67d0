import { type VaultClient, vaultContextSchema } from "@agentsecretstore/agent-tools";
import { z } from "zod";

/**
 * What each vault tool reads from the AI SDK's `toolsContext` (never from the model): the
 * credential for this run, and which run it is. Give `vault` or `vaultToken`, or neither to use
 * the client the tools were made with.
 */
export type AiSdkVaultContext = {
  /** A client to make every vault call with (for example a subagent's `new AgentVault({ token })`). */
  vault?: VaultClient | undefined;
  /** A scoped token (`ast_tok_…`) to present on every vault call, through the tools' client. */
  vaultToken?: string | undefined;
  /**
   * Which run (conversation) the call belongs to: tokens obtained with `request_secret_access`
   * are kept per run and used only within it.
   * @default one run shared by every call without a `runId`
   */
  runId?: string | undefined;
};

/**
 * The `contextSchema` of every vault tool (the AI SDK validates each tool's context against
 * its schema): `vault`, `vaultToken` and `runId`, all optional, and the context itself too (a
 * run without `toolsContext` uses the client the tools were made with).
 */
export const aiSdkVaultContextSchema: z.ZodType<AiSdkVaultContext | undefined> = vaultContextSchema
  .extend({ runId: z.string().min(1).optional() })
  .optional();
