import type { SwaggerTransform } from "@fastify/swagger";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

const PATH_PARAMETER = {
  type: "object",
  properties: {
    path: {
      type: "string",
      description:
        "The secret path: literal slashes (production/openai/api-key) or one percent-encoded segment (production%2Fopenai%2Fapi-key). Validated, never normalised.",
    },
  },
  required: ["path"],
};

/**
 * The zod → JSON Schema transform, plus readable names for the wildcard secret routes:
 * `/v1/secrets/*` is documented as `/v1/secrets/{path}` (and its POST as `…/{path}/rotate`).
 */
export const openApiTransform: SwaggerTransform = (document) => {
  const transformed = jsonSchemaTransform(document as Parameters<typeof jsonSchemaTransform>[0]);
  const { url } = transformed;
  if (!url.endsWith("/*")) return transformed;
  const method = [document.route.method].flat()[0];
  const suffix = method === "POST" && url.startsWith("/v1/secrets/") ? "/rotate" : "";
  return {
    url: `${url.slice(0, -2)}/:path${suffix}`,
    schema: { ...transformed.schema, params: PATH_PARAMETER },
  };
};
