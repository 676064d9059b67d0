import {
  defaultSecretRegistry,
  maskDeep,
  type SecretRegistry,
} from "@agentsecretstore/agent-tools";
import type { CallModelInputFilter, OutputGuardrail } from "@openai/agents";

/** Options of {@link vaultModelInputFilter} and {@link vaultOutputGuardrail}. */
export interface VaultRedactionOptions {
  /**
   * The values to mask: everything the vault tools and the provider helper registered.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
}

/**
 * A `callModelInputFilter` (a `Runner` / `run()` option) that masks every vault value in what
 * the model is about to receive: the instructions and every input item (user messages, tool
 * calls and the results of any tool). Values revealed on purpose (`get_secret` with
 * `revealValues: true`) stay readable; vault credentials are always masked.
 *
 * @example
 * const result = await run(agent, input, { context, callModelInputFilter: vaultModelInputFilter({ registry }) });
 */
export function vaultModelInputFilter(options: VaultRedactionOptions = {}): CallModelInputFilter {
  const registry = options.registry ?? defaultSecretRegistry;
  const mask = (text: string) => registry.mask(text, { forModel: true });
  return ({ modelData }) => {
    const input = maskDeep(modelData.input, mask);
    const instructions =
      modelData.instructions === undefined ? undefined : mask(modelData.instructions);
    return { ...modelData, input, ...(instructions !== undefined && { instructions }) };
  };
}

/** What {@link vaultOutputGuardrail} reports in `outputInfo`. */
export interface VaultOutputGuardrailInfo {
  /** The agent's final output with every vault value masked (safe to show instead). */
  readonly maskedOutput: string;
}

/**
 * An output guardrail (`new Agent({ outputGuardrails: [...] })`) that trips when the agent's
 * final output holds a value the vault handed out, so that it never reaches a user or a log:
 * the run rejects with `OutputGuardrailTripwireTriggered`, whose result's
 * `output.outputInfo.maskedOutput` is the output with the values masked. Values revealed on
 * purpose do not trip it; vault credentials always do.
 *
 * @example
 * const agent = new Agent({ name, instructions, tools, outputGuardrails: [vaultOutputGuardrail({ registry })] });
 */
export function vaultOutputGuardrail(options: VaultRedactionOptions = {}): OutputGuardrail {
  const registry = options.registry ?? defaultSecretRegistry;
  return {
    name: "vault_values_in_output",
    execute: async ({ agentOutput }) => {
      const text = typeof agentOutput === "string" ? agentOutput : JSON.stringify(agentOutput);
      const maskedOutput = registry.mask(text, { forModel: true });
      const outputInfo: VaultOutputGuardrailInfo = { maskedOutput };
      return { tripwireTriggered: maskedOutput !== text, outputInfo };
    },
  };
}
