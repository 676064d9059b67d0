import { AgentVaultError } from "../errors.js";

/** A decoded JSON object from the wire (snake_case fields). */
export type WireObject = Readonly<Record<string, unknown>>;

/** Whether `value` is a JSON object (not `null`, not an array). */
export function isWireObject(value: unknown): value is WireObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Narrows `value` to a JSON object, or throws `INVALID_RESPONSE` naming what was expected. */
export function asWireObject(value: unknown, what: string): WireObject {
  if (isWireObject(value)) return value;
  throw unexpectedShape(what);
}

/** The error for a response that is not `what` at all (`INVALID_RESPONSE`). */
export function unexpectedShape(what: string): AgentVaultError {
  return new AgentVaultError(
    `The vault answered with something that is not ${what}: is baseUrl an Agent Secret Store API (…/v1)?`,
    { code: "INVALID_RESPONSE" },
  );
}

/** The first of `names` present in `wire` and not `null` (docs/protocol.md: `null` means "not given"). */
export function pick(wire: WireObject, ...names: string[]): unknown {
  for (const name of names) {
    const value = wire[name];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/** Reads one wire value (already picked) into a model field. */
export type FieldReader = (value: unknown) => unknown;

/**
 * Reads each field of `readers` (a model's camelCase names) from its snake_case name on the
 * wire: `readFields(wire, { createdAt: dateOrNull })` is
 * `{ createdAt: dateOrNull(pick(wire, "created_at")) }`. The table of a model's plain fields.
 */
export function readFields<Readers extends Readonly<Record<string, FieldReader>>>(
  wire: WireObject,
  readers: Readers,
): { -readonly [Name in keyof Readers]: ReturnType<Readers[Name]> } {
  const fields: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(readers)) {
    fields[name] = read(
      pick(
        wire,
        name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
      ),
    );
  }
  return fields as { -readonly [Name in keyof Readers]: ReturnType<Readers[Name]> };
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** ISO-8601 text (or epoch milliseconds) to a `Date`; anything unparsable becomes `null`. */
export function dateOrNull(value: unknown): Date | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function stringArray(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
}

export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isWireObject(value)) return result;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === "string") result[key] = item;
  }
  return result;
}

/** Reads a field the model cannot do without; a missing one means a broken response. */
export function requireString(wire: WireObject, what: string, ...names: string[]): string {
  const value = pick(wire, ...names);
  if (typeof value === "string") return value;
  throw missingField(what, names);
}

/** Like {@link requireString}, for numbers. */
export function requireNumber(wire: WireObject, what: string, ...names: string[]): number {
  const value = numberOrNull(pick(wire, ...names));
  if (value !== null) return value;
  throw missingField(what, names);
}

/** Like {@link requireString}, for timestamps (ISO-8601 text or epoch milliseconds). */
export function requireDate(wire: WireObject, what: string, ...names: string[]): Date {
  const value = dateOrNull(pick(wire, ...names));
  if (value !== null) return value;
  throw missingField(what, names);
}

/** Like {@link requireString}, for booleans. */
export function requireBoolean(wire: WireObject, what: string, ...names: string[]): boolean {
  const value = pick(wire, ...names);
  if (typeof value === "boolean") return value;
  throw missingField(what, names);
}

function missingField(what: string, names: readonly string[]): AgentVaultError {
  return new AgentVaultError(`The vault's ${what} response has no "${names[0]}" field.`, {
    code: "INVALID_RESPONSE",
  });
}
