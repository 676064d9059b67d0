import { escapeUnsafeText, findUnsafeCharacter } from "@agentsecretstore/protocol";
import type { FastifySchemaCompiler } from "fastify";
import type { z } from "zod";

/**
 * What request text may not hold, outside sealed secret material (values, .env content):
 * - U+0000: PostgreSQL cannot store it in a text column (the query failed, a 500) and SQLite
 *   would store it silently;
 * - the protocol's unsafe characters (controls and bidirectional formatting, `unsafe-text.ts`):
 *   in a name, description, comment or tag they can make an approver's terminal or page show
 *   other text than what is stored, and what a person approves must be exactly what they see.
 * Every engine refuses both at validation with a 400 naming the field.
 */
const NUL = "\u0000";

/** The message a field holding U+0000 gets. */
export const NUL_MESSAGE = "must not contain the NUL character (U+0000); remove it";

/** Why `text` is refused, or null. */
function problemOf(text: string): string | null {
  if (text.includes(NUL)) return NUL_MESSAGE;
  const found = findUnsafeCharacter(text);
  if (found === null) return null;
  return `must not contain control or bidirectional formatting characters (${found.codePoint} at offset ${found.offset}); remove it`;
}

const sealed = new WeakSet<object>();

/**
 * Marks a schema whose strings are sealed secret material (values, .env content): they may hold
 * any character. Every other string in a request (body, query string, URL parameters, object
 * keys) is checked by {@link rejectingForbiddenText}.
 */
export function sealedText<T extends z.ZodType>(schema: T): T {
  sealed.add(schema);
  return schema;
}

type SchemaDef = {
  type?: string;
  innerType?: SchemaLike;
  shape?: Record<string, SchemaLike>;
  element?: SchemaLike;
  in?: SchemaLike;
};
type SchemaLike = { _zod?: { def?: SchemaDef } } | undefined;

/** The schema that describes `key` of an object (or the items of an array) under `schema`. */
function childSchema(schema: SchemaLike, key: string | number): SchemaLike {
  let current = schema;
  // Looks through optional / nullable / default / pipe wrappers to the object or array.
  for (let depth = 0; depth < 8 && current?._zod?.def !== undefined; depth++) {
    const def: SchemaDef = current._zod.def;
    if (def.type === "object") return typeof key === "string" ? def.shape?.[key] : undefined;
    if (def.type === "array") return def.element;
    current = def.innerType ?? def.in;
  }
  return undefined;
}

/** Whether the schema, or one it wraps (optional, nullable, default, pipe), is sealed. */
function isSealed(schema: SchemaLike): boolean {
  let current = schema;
  for (let depth = 0; depth < 8 && current !== undefined; depth++) {
    if (sealed.has(current)) return true;
    const def: SchemaDef | undefined = current._zod?.def;
    current = def?.innerType ?? def?.in;
  }
  return false;
}

/** A path as a chain of links to its parent, so that deep nesting costs no copying. */
type PathLink = { key: string | number; parent: PathLink | null } | null;

function pathOf(link: PathLink): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at = link; at !== null; at = at.parent) path.unshift(at.key);
  return path;
}

/** A refused string: where it is and what to fix. */
export type ForbiddenText = { path: (string | number)[]; message: string };

/**
 * The first string (or object key) outside sealed material that holds a character requests may
 * not carry, or null. Iterative, so that a deeply nested body cannot exhaust the stack.
 */
export function findForbiddenText(value: unknown, schema: SchemaLike): ForbiddenText | null {
  const pending: { value: unknown; schema: SchemaLike; link: PathLink }[] = [
    { value, schema, link: null },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, schema: currentSchema, link } = next;
    if (isSealed(currentSchema)) continue;
    if (typeof current === "string") {
      const message = problemOf(current);
      if (message !== null) return { path: pathOf(link), message };
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    const entries: [string | number, unknown][] = Array.isArray(current)
      ? [...current.entries()]
      : Object.entries(current);
    // Pushed in reverse so that the first field is looked at first.
    for (const [key, item] of entries.reverse()) {
      const child = { key, parent: link };
      // A key is text too (tag names, for one).
      const keyProblem = typeof key === "string" ? problemOf(key) : null;
      if (keyProblem !== null) return { path: pathOf(child), message: keyProblem };
      pending.push({ value: item, schema: childSchema(currentSchema, key), link: child });
    }
  }
  return null;
}

/** The field name a client sees; the secret path's wildcard parameter is "path". */
function fieldPointer(path: readonly (string | number)[]): string {
  const named = path.map((part, index) => (index === 0 && part === "*" ? "path" : String(part)));
  // The pointer names the field without repeating the characters it was refused for.
  return `/${named.map(escapeUnsafeText).join("/")}`;
}

/**
 * Wraps a validator compiler so that every request part it validates (body, query string, URL
 * parameters, headers) is first searched for forbidden characters: the one place that rule
 * lives, so a new route cannot forget it. The error has Fastify's `validation` shape, which the error handler
 * turns into a 400 `VALIDATION_ERROR` naming the field.
 */
export function rejectingForbiddenText<S>(
  compile: FastifySchemaCompiler<S>,
): FastifySchemaCompiler<S> {
  return (route) => {
    const validate = compile(route);
    const schema = route.schema as unknown as SchemaLike;
    return (data: unknown) => {
      const found = findForbiddenText(data, schema);
      if (found === null) return validate(data);
      const field = fieldPointer(found.path);
      const error = Object.assign(new Error(`${field} ${found.message}`), {
        validation: [{ instancePath: field, message: found.message }],
      });
      return { error };
    };
  };
}
