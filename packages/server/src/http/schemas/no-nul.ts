import type { FastifySchemaCompiler } from "fastify";
import type { z } from "zod";

/**
 * U+0000 in request text. PostgreSQL cannot store it in a text column (the query fails, which
 * used to surface as a 500) and SQLite would store it silently, so every engine refuses it at
 * validation with a 400 naming the field. The only text that may hold it is opaque secret
 * material (values, .env content), which is sealed before it is stored.
 */
const NUL = "\u0000";

/** The message every refused field gets. */
export const NUL_MESSAGE = "must not contain the NUL character (U+0000); remove it";

const nulAllowed = new WeakSet<object>();

/**
 * Marks a schema whose strings may contain U+0000 (secret values and other sealed material).
 * Every other string in a request (body, query string, URL parameters) is refused when it holds
 * one, by {@link rejectingNul}.
 */
export function mayContainNul<T extends z.ZodType>(schema: T): T {
  nulAllowed.add(schema);
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

/** A path as a chain of links to its parent, so that deep nesting costs no copying. */
type PathLink = { key: string | number; parent: PathLink | null } | null;

function pathOf(link: PathLink): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at = link; at !== null; at = at.parent) path.unshift(at.key);
  return path;
}

/**
 * The path of the first string (or object key) holding U+0000 outside an allowed schema, or
 * null. Iterative, so that a deeply nested body cannot exhaust the stack.
 */
export function findNul(value: unknown, schema: SchemaLike): (string | number)[] | null {
  const pending: { value: unknown; schema: SchemaLike; link: PathLink }[] = [
    { value, schema, link: null },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, schema: currentSchema, link } = next;
    if (currentSchema !== undefined && nulAllowed.has(currentSchema)) continue;
    if (typeof current === "string") {
      if (current.includes(NUL)) return pathOf(link);
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
      if (typeof key === "string" && key.includes(NUL)) return pathOf(child);
      pending.push({ value: item, schema: childSchema(currentSchema, key), link: child });
    }
  }
  return null;
}

/** The field name a client sees; the secret path's wildcard parameter is "path". */
function fieldPointer(path: readonly (string | number)[]): string {
  const named = path.map((part, index) => (index === 0 && part === "*" ? "path" : String(part)));
  return `/${named.map((part) => part.replaceAll(NUL, "\\u0000")).join("/")}`;
}

/**
 * Wraps a validator compiler so that every request part it validates (body, query string, URL
 * parameters, headers) is first searched for U+0000: the one place that rule lives, so a new
 * route cannot forget it. The error has Fastify's `validation` shape, which the error handler
 * turns into a 400 `VALIDATION_ERROR` naming the field.
 */
export function rejectingNul<S>(compile: FastifySchemaCompiler<S>): FastifySchemaCompiler<S> {
  return (route) => {
    const validate = compile(route);
    const schema = route.schema as unknown as SchemaLike;
    return (data: unknown) => {
      const found = findNul(data, schema);
      if (found === null) return validate(data);
      const error = Object.assign(new Error(`${fieldPointer(found)} ${NUL_MESSAGE}`), {
        validation: [{ instancePath: fieldPointer(found), message: NUL_MESSAGE }],
      });
      return { error };
    };
  };
}
