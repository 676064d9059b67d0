import fastJson from "fast-json-stringify";
import { type ZodType, z } from "zod";

type Serializer = (data: unknown) => string;

/**
 * Serialises responses with a function compiled once per route and status from the route's zod
 * schema (turned into JSON Schema, then into code by fast-json-stringify), instead of running zod
 * on every answer. Only what the schema declares is written, so a field added to a record by
 * mistake never reaches the wire. A schema JSON Schema cannot express falls back to
 * `JSON.stringify`.
 */
export function compiledSerializerCompiler({ schema }: { schema: unknown }): Serializer {
  if (!(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
  try {
    const jsonSchema = z.toJSONSchema(schema as ZodType, {
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
