import {
  type MaskDeepOptions,
  type MaskText,
  maskDeep as maskDeepShared,
} from "@agentsecretstore/agent-tools";
import { BaseMessage } from "@langchain/core/messages";

// Fields of messages (and their chunks) that can carry text; anything else a message holds is
// bookkeeping. Named explicitly, never spread: a spread would copy `lc_kwargs`, which still
// holds the original, unmasked fields.
const MESSAGE_FIELDS = [
  "content",
  "name",
  "id",
  "additional_kwargs",
  "response_metadata",
  "tool_calls",
  "invalid_tool_calls",
  "tool_call_chunks",
  "usage_metadata",
  "tool_call_id",
  "artifact",
  "status",
  "role",
] as const;

type MessageConstructor = new (fields: Record<string, unknown>) => BaseMessage;

/**
 * The shared `maskDeep` (strings, arrays, plain objects at any depth) that also masks
 * LangChain messages, rebuilt through their constructors. Returns the same reference when
 * nothing needed masking.
 */
export function maskDeep<T>(
  value: T,
  mask: MaskText,
  options: Omit<MaskDeepOptions, "rebuild"> = {},
): T {
  return maskDeepShared(value, mask, { ...options, rebuild: rebuildMessage });
}

/** A copy of `message` with its text fields masked, or `message` itself when none changed. */
export function maskMessage<M extends BaseMessage>(message: M, mask: MaskText): M {
  return maskDeep(message, mask);
}

function rebuildMessage(value: object, maskChild: <T>(child: T) => T): object | undefined {
  if (!BaseMessage.isInstance(value)) return undefined;
  const source = value as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  let changed = false;
  for (const key of MESSAGE_FIELDS) {
    const item = source[key];
    if (item === undefined) continue;
    const masked = maskChild(item);
    if (masked !== item) changed = true;
    fields[key] = masked;
  }
  if (!changed) return value;
  const Constructor = Object.getPrototypeOf(value).constructor as MessageConstructor;
  return new Constructor(fields);
}
