import { type AgentVault, createCredentialProvider } from "@agentsecretstore/client";
import {
  lazyChatModel,
  type SecretRegistry,
  vaultRedactionMiddleware,
} from "@agentsecretstore/langchain";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { StructuredTool } from "@langchain/core/tools";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { createAgent } from "langchain";

/** Options of {@link createVaultAgent}. */
export type VaultAgentOptions = {
  /** The agent's client: its model key is read from the vault with this client's credential. */
  vault: AgentVault;
  /** The registry the vault tools fill; the model only ever sees its values masked. */
  registry: SecretRegistry;
  /** The (scripted) chat model the agent runs, built once the model key has been read. */
  model: BaseChatModel;
  tools: StructuredTool[];
  /**
   * Needed when a tool waits for an approval with `interrupt()`.
   * @default none
   */
  checkpointer?: BaseCheckpointSaver;
};

/**
 * A LangChain agent as the examples run it: the model's own API key comes from the vault
 * (`production/openai/api-key`) on first use, and the redaction middleware masks every vault
 * value before the model sees it.
 */
export function createVaultAgent(options: VaultAgentOptions) {
  const { vault, registry, model, tools, checkpointer } = options;
  const lazyModel = lazyChatModel(
    () => model,
    createCredentialProvider(vault, "production/openai/api-key"),
    { registry },
  );
  return createAgent({
    model: lazyModel,
    tools,
    middleware: [vaultRedactionMiddleware({ registry })],
    ...(checkpointer === undefined ? {} : { checkpointer }),
  });
}
