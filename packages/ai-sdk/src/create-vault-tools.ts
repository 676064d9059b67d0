import {
  createVaultToolset,
  type VaultClient,
  type VaultToolOutcome,
  type VaultToolset,
  type VaultToolsOptions,
  vaultContextOf,
} from "@agentsecretstore/agent-tools";
import { type FlexibleSchema, type Tool, tool } from "ai";
import { type AiSdkVaultContext, aiSdkVaultContextSchema } from "./vault-tool-context.js";

/** A vault tool as an AI SDK tool: model input in, a plain outcome out, the vault from the context. */
export type VaultAiTool = Tool<Record<string, unknown>, VaultToolOutcome, AiSdkVaultContext>;

/** The vault tools as an AI SDK tool set, by name (pass it as `tools`, or spread it into yours). */
export type VaultAiToolSet = Record<string, VaultAiTool>;

/** The tool set and the shared toolset behind it (to revoke tokens). */
function buildVaultTools(
  vault: VaultClient | undefined,
  options: VaultToolsOptions,
): { tools: VaultAiToolSet; toolset: VaultToolset } {
  const toolset = createVaultToolset(vault, options);
  const tools: VaultAiToolSet = {};
  for (const vaultTool of toolset.tools) {
    tools[vaultTool.name] = tool<Record<string, unknown>, VaultToolOutcome, AiSdkVaultContext>({
      description: vaultTool.description,
      inputSchema: vaultTool.inputSchema,
      // Optional at run time: a run without toolsContext uses the tools' own client.
      contextSchema: aiSdkVaultContextSchema as FlexibleSchema<AiSdkVaultContext>,
      execute: (input, { context, abortSignal }) =>
        vaultTool.execute(
          { ...vaultContextOf(context), runId: context?.runId, signal: abortSignal },
          input,
        ),
    });
  }
  return { tools, toolset };
}

/**
 * The vault tools for `generateText` / `streamText` / `ToolLoopAgent`: `list_secrets`,
 * `get_secret_metadata`, `request_secret_access`, `check_approval_status`, `set_secret`,
 * `rotate_secret`, `call_api_with_secret` (when `allowedDestinations` are given) and
 * `get_secret` (which declines unless `revealValues: true`), each a binding of the shared tool
 * of `@agentsecretstore/agent-tools`.
 *
 * The model passes paths and metadata, never credentials. Each call uses, in order: a token the
 * run obtained with `request_secret_access` that covers the path; the tool's context from
 * `toolsContext` (`vault`, or `vaultToken` on the client given here; build it with
 * {@link vaultToolsContext}); the `vault` given here; or a client configured from the
 * environment. Answers the model can act on (not found, denied, pending approval, rate
 * limited) are tool results; authentication, network and server failures are tool errors.
 *
 * @example
 * const registry = new SecretRegistry();
 * const tools = createVaultTools(vault, { registry });
 * const result = await generateText({
 *   model: wrapLanguageModel({ model, middleware: vaultRedactionMiddleware({ registry }) }),
 *   tools,
 *   toolsContext: vaultToolsContext(tools, { vault: subagentVault, runId: "run-1" }),
 *   stopWhen: stepCountIs(5),
 *   prompt,
 * });
 */
export function createVaultTools(
  vault?: VaultClient,
  options: VaultToolsOptions = {},
): VaultAiToolSet {
  return buildVaultTools(vault, options).tools;
}

/**
 * The `toolsContext` for the vault tools (the AI SDK takes one context per tool name): the same
 * `context` for each vault tool in `tools`. Spread it into your own when other tools have one.
 *
 * @example
 * toolsContext: { ...vaultToolsContext(tools, { vaultToken: token.value }), weather: { city } }
 */
export function vaultToolsContext(
  tools: VaultAiToolSet,
  context: AiSdkVaultContext,
): Record<string, AiSdkVaultContext> {
  const perTool: Record<string, AiSdkVaultContext> = {};
  for (const name of Object.keys(tools)) perTool[name] = context;
  return perTool;
}

/** The vault tools with what an orchestrator needs around them. */
export interface VaultToolkit {
  /** The tool set (pass it as `tools`). */
  readonly tools: VaultAiToolSet;
  /** Where the tools register every value the vault handed out (give it to the middleware). */
  readonly registry: VaultToolset["registry"];
  /** Revokes every token obtained with `request_secret_access`; resolves with how many. */
  revokeAccess(): Promise<number>;
}

/**
 * {@link createVaultTools} plus the clean-up: `revokeAccess()` revokes every token the agent
 * obtained, so that nothing outlives the run.
 *
 * @example
 * const toolkit = createVaultToolkit(vault, { registry });
 * try { await generateText({ model, tools: toolkit.tools, prompt }) } finally { await toolkit.revokeAccess() }
 */
export function createVaultToolkit(
  vault?: VaultClient,
  options: VaultToolsOptions = {},
): VaultToolkit {
  const { tools, toolset } = buildVaultTools(vault, options);
  return { tools, registry: toolset.registry, revokeAccess: () => toolset.revokeAccess() };
}
