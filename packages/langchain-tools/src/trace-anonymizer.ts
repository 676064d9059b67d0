import { defaultSecretRegistry, type SecretRegistry } from "@agentsecretstore/agent-tools";
import { maskDeep } from "./internal/mask-deep.js";

/** Options of {@link createVaultTraceAnonymizer}. */
export interface VaultTraceAnonymizerOptions {
  /**
   * The values to mask.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
}

/**
 * An anonymizer for traces: given any run payload (LLM inputs and outputs, tool inputs and
 * outputs, chain values, serialised or live LangChain messages), returns a copy with every
 * vault value masked; the payload itself is never modified. Its shape is LangSmith's
 * `anonymizer` option, so it plugs into the tracing client directly, and it works as a
 * `hideInputs` / `hideOutputs` function too.
 *
 * Unlike the middleware, it masks values revealed to the model on purpose as well: a trace
 * is stored, and stored text must not hold a secret.
 *
 * @example
 * import { Client } from "langsmith";
 * const anonymizer = createVaultTraceAnonymizer({ registry });
 * const tracer = new LangChainTracer({ client: new Client({ anonymizer }) });
 */
export function createVaultTraceAnonymizer(
  options: VaultTraceAnonymizerOptions = {},
): <T>(value: T) => T {
  const registry = options.registry ?? defaultSecretRegistry;
  return <T>(value: T): T =>
    maskDeep(value, (text) => registry.mask(text), { classInstances: true });
}
