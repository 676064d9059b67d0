import { BaseMessage } from "@langchain/core/messages";

/** Replaces the secrets in one string. */
export type MaskText = (text: string) => string;

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

/** Options of {@link maskDeep}. */
export interface MaskDeepOptions {
  /**
   * Also mask the own fields of other class instances (LangGraph's `Command` and `Send` in
   * chain outputs), in copies with the same prototype. For payloads that are only read, such
   * as traces; objects with private state may not work as copies.
   * @default false
   */
  classInstances?: boolean;
}

type Walk = {
  readonly mask: MaskText;
  readonly seen: WeakMap<object, unknown>;
  readonly classInstances: boolean;
};

/**
 * `value` with every string in it masked: strings, arrays, plain objects and LangChain
 * messages, at any depth. Returns the same reference when nothing needed masking, so a caller
 * can tell whether anything changed with `===`. Built-in objects (dates, buffers, maps) are
 * returned as they are, and other class instances too unless `classInstances` is set.
 */
export function maskDeep<T>(value: T, mask: MaskText, options: MaskDeepOptions = {}): T {
  return maskUnknown(value, {
    mask,
    seen: new WeakMap(),
    classInstances: options.classInstances === true,
  }) as T;
}

/** A copy of `message` with its text fields masked, or `message` itself when none changed. */
export function maskMessage<M extends BaseMessage>(message: M, mask: MaskText): M {
  return maskDeep(message, mask);
}

function maskUnknown(value: unknown, walk: Walk): unknown {
  const { mask, seen } = walk;
  if (typeof value === "string") return mask(value);
  if (typeof value !== "object" || value === null) return value;
  const already = seen.get(value);
  if (already !== undefined) return already;
  // A cycle resolves to the original object until its copy is complete.
  seen.set(value, value);
  let result: unknown = value;
  if (Array.isArray(value)) {
    result = maskArray(value, walk);
  } else if (BaseMessage.isInstance(value)) {
    result = maskMessageFields(value, walk);
  } else if (isPlainObject(value)) {
    result = maskRecord(value, walk, Object.getPrototypeOf(value));
  } else if (walk.classInstances && !isBuiltIn(value)) {
    result = maskRecord(value as Record<string, unknown>, walk, Object.getPrototypeOf(value));
  }
  seen.set(value, result);
  return result;
}

function maskArray(items: readonly unknown[], walk: Walk) {
  let changed = false;
  const copy = items.map((item) => {
    const masked = maskUnknown(item, walk);
    if (masked !== item) changed = true;
    return masked;
  });
  return changed ? copy : items;
}

function maskRecord(
  record: Record<string, unknown>,
  walk: Walk,
  prototype: object | null,
): Record<string, unknown> {
  let changed = false;
  const copy = Object.create(prototype) as Record<string, unknown>;
  for (const [key, item] of Object.entries(record)) {
    const masked = maskUnknown(item, walk);
    if (masked !== item) changed = true;
    copy[key] = masked;
  }
  return changed ? copy : record;
}

function maskMessageFields(message: BaseMessage, walk: Walk): BaseMessage {
  const source = message as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  let changed = false;
  for (const key of MESSAGE_FIELDS) {
    const item = source[key];
    if (item === undefined) continue;
    const masked = maskUnknown(item, walk);
    if (masked !== item) changed = true;
    fields[key] = masked;
  }
  if (!changed) return message;
  const Constructor = Object.getPrototypeOf(message).constructor as MessageConstructor;
  return new Constructor(fields);
}

function isBuiltIn(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Map ||
    value instanceof Set ||
    value instanceof Error ||
    value instanceof Promise ||
    ArrayBuffer.isView(value) ||
    value instanceof ArrayBuffer
  );
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
