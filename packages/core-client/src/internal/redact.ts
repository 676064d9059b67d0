import { maskCredentials } from "@agentsecretstore/protocol";

/** The marker printed wherever a secret value or a credential would otherwise appear. */
export const REDACTED = "[REDACTED]";

/** `util.inspect`'s hook, looked up by its registered name so that no `node:` import is needed. */
export const INSPECT_CUSTOM: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

// Values shorter than this are not scrubbed from text: masking "1" or "on" everywhere would
// mangle messages without protecting anything worth protecting.
const MIN_SCRUB_LENGTH = 4;

/**
 * Masks every credential-shaped substring, and every occurrence of the given sensitive values,
 * in `text`.
 */
export function redactText(text: string, sensitiveValues: readonly string[] = []): string {
  // Credentials have recognisable prefixes: masking them anywhere in a string is a second line
  // of defence behind never putting them there.
  let result = maskCredentials(text, REDACTED);
  for (const value of sensitiveValues) {
    if (value.length >= MIN_SCRUB_LENGTH) result = result.split(value).join(REDACTED);
  }
  return result;
}

/** Returns a copy of `fields` whose string values (at any depth) went through {@link redactText}. */
export function redactFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return redactUnknown(fields, 0) as Record<string, unknown>;
}

const MAX_DEPTH = 5;

function redactUnknown(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth >= MAX_DEPTH || typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => redactUnknown(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = redactUnknown(item, depth + 1);
  return copy;
}

/** `util.inspect`'s third argument: the `inspect` function itself. */
export type InspectFunction = (value: unknown, options?: unknown) => string;

/**
 * What `util.inspect` prints for a model that holds a credential: its class name and its
 * `toJSON()` (where the credential is already {@link REDACTED}), or `fallback` where no
 * `inspect` is passed (other runtimes).
 */
export function inspectRedacted(
  className: string,
  json: unknown,
  fallback: string,
  options: unknown,
  inspect: InspectFunction | undefined,
): string {
  return inspect === undefined ? fallback : `${className} ${inspect(json, options)}`;
}
