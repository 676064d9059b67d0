import { BaseCallbackHandler } from "@langchain/core/callbacks/base";

/** Everything sent to or received from a model during a run, as JSON text. */
export type ModelTraffic = {
  /** A LangChain callback handler that records each model call's input and output. */
  readonly handler: BaseCallbackHandler;
  /** What was recorded so far, one entry per model input or output. */
  readonly texts: string[];
};

/**
 * Records exactly what each chat model call was given (`handleChatModelStart`) and what it
 * answered (`handleLLMEnd`). Pass `handler` in `callbacks` beside (not behind) any redaction,
 * so the record is what the model really saw.
 */
export function recordModelTraffic(): ModelTraffic {
  const texts: string[] = [];
  const handler = BaseCallbackHandler.fromMethods({
    handleChatModelStart: (_llm, messages) => {
      texts.push(JSON.stringify(messages));
    },
    handleLLMEnd: (output) => {
      texts.push(JSON.stringify(output));
    },
  });
  return { handler, texts };
}

/**
 * The labels of the values found in any of the texts: which secrets leaked. Values are
 * matched as they are and JSON-escaped, the way they would sit inside a serialised message.
 */
export function findLeaks(
  texts: readonly string[],
  values: Readonly<Record<string, string>>,
): string[] {
  return Object.entries(values)
    .filter(([, value]) => {
      const escaped = JSON.stringify(value).slice(1, -1);
      return texts.some((text) => text.includes(value) || text.includes(escaped));
    })
    .map(([label]) => label);
}
