import fastJson from "fast-json-stringify";
import { type ZodType, z } from "zod";

type Serializer = (data: unknown) => string;

/**
 * Serialises responses with a function compiled once per route and status from the route's zod
 * schema (turned into JSON Schema, then into code by fast-json-stringify), instead of running zod
 * on every answer. Only what the schema declares is written, so a field added to a record by
 * mistake never reaches the wire. A schema JSON Schema cannot express falls back to
 * `JSON.stringify`. A schema is compiled once per process: the route schemas are module
 * constants, so every server built in this process (tests build hundreds) shares the functions.
 */
export function compiledSerializerCompiler({ schema }: { schema: unknown }): Serializer {
  if (!(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
  let serializer = compiled.get(schema);
  if (serializer === undefined) {
    serializer = compile(schema);
    compiled.set(schema, serializer);
  }
  return serializer;
}

const compiled = new WeakMap<ZodType, Serializer>();

function compile(schema: ZodType): Serializer {
  try {
    const jsonSchema = z.toJSONSchema(schema, {
      target: "draft-7",
      io: "output",
      unrepresentable: "any",
    }) as Record<string, unknown>;
    delete jsonSchema.$schema;
    return fastJson(jsonSchema) as Serializer;
  } catch {
    return (data) => JSON.stringify(data);
  }
}
