import { defaultSecretRegistry, type SecretRegistry } from "@agentsecretstore/agent-tools";
import { type BaseMessage, ToolMessage } from "@langchain/core/messages";
import type { AgentMiddleware } from "langchain";
import { maskDeep, maskMessage } from "./internal/mask-deep.js";

/** Options of {@link vaultRedactionMiddleware}. */
export interface VaultRedactionMiddlewareOptions {
  /**
   * The values to mask: everything the vault tools and lazy models registered.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
  /**
   * Also rewrite the agent's stored messages when a run ends, so that `result.messages`, the
   * checkpointer and the next turn hold masked text too (for example the arguments of a
   * `set_secret` call, which came from the model itself).
   * @default true
   */
  maskStoredMessages?: boolean;
}

// createMiddleware() from `langchain` only adds this brand to the object it is given. Building
// the object here keeps `langchain` an optional peer: the tools work without it.
const MIDDLEWARE_BRAND = Symbol.for("AgentMiddleware");

/**
 * A `createAgent` middleware that keeps vault values away from the model:
 * - before each model call, every message the model is about to see (and the system
 *   message) has the registered values masked; the rewrite is what the model gets;
 * - every tool result is masked before it enters the conversation, whichever tool made it;
 * - when the run ends, stored messages that still contain a value are replaced by masked
 *   copies (see `maskStoredMessages`).
 *
 * Values that the developer revealed on purpose (`get_secret` with `revealValues: true`) stay
 * readable to the model. Credentials of the vault itself (`ast_tok_…`, `ass_live_…`,
 * `ass_admin_…`) are always masked.
 *
 * @example
 * const registry = new SecretRegistry();
 * const agent = createAgent({
 *   model,
 *   tools: createVaultTools(vault, { registry }),
 *   middleware: [vaultRedactionMiddleware({ registry })],
 * });
 */
export function vaultRedactionMiddleware(
  options: VaultRedactionMiddlewareOptions = {},
): AgentMiddleware {
  const registry = options.registry ?? defaultSecretRegistry;
  const maskForModel = (text: string) => registry.mask(text, { forModel: true });

  const middleware: AgentMiddleware = {
    name: "VaultRedactionMiddleware",
    wrapModelCall: async (request, handler) => {
      const messages = maskDeep(request.messages, maskForModel);
      const systemMessage = maskMessage(request.systemMessage, maskForModel);
      if (messages === request.messages && systemMessage === request.systemMessage) {
        return handler(request);
      }
      return handler({ ...request, messages, systemMessage });
    },
    wrapToolCall: async (request, handler) => {
      const result = await handler(request);
      if (ToolMessage.isInstance(result)) return maskMessage(result, maskForModel);
      maskCommandMessages(result, maskForModel);
      return result;
    },
  };
  if (options.maskStoredMessages !== false) {
    middleware.afterAgent = (state) => {
      const messages = (state as { messages?: BaseMessage[] }).messages ?? [];
      // Replacing a message by id is how the messages reducer updates one in place.
      const replaced = messages
        .map((message) => maskMessage(message, maskForModel))
        .filter((masked, index) => masked !== messages[index] && masked.id !== undefined);
      return replaced.length === 0 ? undefined : { messages: replaced };
    };
  }
  Object.defineProperty(middleware, MIDDLEWARE_BRAND, { value: true, enumerable: true });
  return middleware;
}

/** Masks the messages of a tool's `Command({ update: { messages } })`, in place. */
function maskCommandMessages(command: unknown, mask: (text: string) => string): void {
  if (typeof command !== "object" || command === null) return;
  const update = (command as { update?: unknown }).update;
  if (typeof update !== "object" || update === null) return;
  const holder = update as { messages?: unknown };
  if (Array.isArray(holder.messages)) holder.messages = maskDeep(holder.messages, mask);
}
