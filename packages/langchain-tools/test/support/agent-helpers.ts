import { type BaseMessage, ToolMessage } from "@langchain/core/messages";

/** The JSON answers of the tools in a run's messages, in order, with the tool's name. */
export function toolResults(
  messages: BaseMessage[],
): Array<{ name: string } & Record<string, unknown>> {
  return messages.filter(ToolMessage.isInstance).map((message) => ({
    name: message.name ?? "",
    ...(JSON.parse(String(message.content)) as Record<string, unknown>),
  }));
}
