/** Replaces the secrets in one string (for example `(text) => registry.mask(text)`). */
export type MaskText = (text: string) => string;

/** Options of {@link maskDeep}. */
export interface MaskDeepOptions {
  /**
   * Also mask the own fields of other class instances, in copies with the same prototype. For
   * payloads that are only read, such as traces; objects with private state may not work as
   * copies.
   * @default false
   */
  classInstances?: boolean;
  /**
   * Masks objects of a framework's own kinds (LangChain messages, say) that a field-by-field
   * copy would get wrong: return the masked object (or the same one when nothing changed),
   * calling `maskChild` on each field; return `undefined` to let `maskDeep` treat it as usual.
   * @default none
   */
  rebuild?: (value: object, maskChild: <T>(child: T) => T) => object | undefined;
}

type Walk = {
  readonly mask: MaskText;
  readonly seen: WeakMap<object, unknown>;
  readonly classInstances: boolean;
  readonly rebuild: MaskDeepOptions["rebuild"];
};

/**
 * `value` with every string in it masked: strings, arrays and plain objects at any depth
 * (cycles included), plus whatever `rebuild` handles. Never modifies `value`; returns the same
 * reference when nothing needed masking, so a caller can tell whether anything changed with
 * `===`. Built-in objects (dates, buffers, maps) are returned as they are, and other class
 * instances too unless `classInstances` is set.
 *
 * @example
 * const masked = maskDeep(toolResult, (text) => registry.mask(text, { forModel: true }));
 */
export function maskDeep<T>(value: T, mask: MaskText, options: MaskDeepOptions = {}): T {
  return maskUnknown(value, {
    mask,
    seen: new WeakMap(),
    classInstances: options.classInstances === true,
    rebuild: options.rebuild,
  }) as T;
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
  const rebuilt = walk.rebuild?.(value, (child) => maskUnknown(child, walk) as typeof child);
  if (rebuilt !== undefined) {
    result = rebuilt;
  } else if (Array.isArray(value)) {
    result = maskArray(value, walk);
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
