import type { RunResult } from "@openai/agents";

/** Tracing would try to export to the network: every test runs with it off. */
process.env.OPENAI_AGENTS_DISABLE_TRACING = "1";

/** The parsed outputs of the run's vault tool calls (JSON outcomes), in order. */
export function toolOutputs(result: Pick<RunResult<unknown, never>, "newItems">) {
  return result.newItems
    .filter((item) => item.type === "tool_call_output_item")
    .map((item) => String((item as unknown as { output: unknown }).output))
    .filter((output) => output.startsWith("{"))
    .map((output) => JSON.parse(output) as Record<string, unknown>);
}

/** Everything the scripted model was sent, as one text per call. */
export function sentToModel(calls: ReadonlyArray<{ request: unknown }>): string[] {
  return calls.map((call) => JSON.stringify(call.request));
}
