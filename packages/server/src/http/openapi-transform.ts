import type { SwaggerTransform } from "@fastify/swagger";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import type { OpenAPIV3_1 } from "openapi-types";

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

/** The broker route's parameters: its name, and the upstream path after it. */
const BROKER_PARAMETERS = {
  type: "object",
  properties: {
    route: { type: "string", description: "The broker route's name (the server's configuration)" },
    path: {
      type: "string",
      description: "The path sent upstream after the route's base, as given (the query is kept)",
    },
  },
  required: ["route", "path"],
};

/**
 * The zod → JSON Schema transform, plus readable names for the wildcard secret routes:
 * `/v1/secrets/*` is documented as `/v1/secrets/{path}` (and its POST as `…/{path}/rotate`),
 * `/v1/broker/:route/*` as `/v1/broker/{route}/{path}`.
 * Every operation gets an `operationId` (from its method and path unless the route names one)
 * and a tag (its first path segment unless the route gives some), as OpenAPI linters ask.
 */
export const openApiTransform: SwaggerTransform = (document) => {
  const transformed = jsonSchemaTransform(document as Parameters<typeof jsonSchemaTransform>[0]);
  const method = [document.route.method].flat()[0] ?? "get";
  let { url, schema } = transformed;
  if (url.endsWith("/*")) {
    const suffix = method === "POST" && url.startsWith("/v1/secrets/") ? "/rotate" : "";
    url = `${url.slice(0, -2)}/:path${suffix}`;
    const broker = url.startsWith("/v1/broker/");
    schema = { ...schema, params: broker ? BROKER_PARAMETERS : PATH_PARAMETER };
  }
  const named = schema as { operationId?: string; tags?: readonly string[] };
  return {
    url,
    schema: {
      ...schema,
      operationId: named.operationId ?? operationIdFor(method, url),
      tags: named.tags ?? [tagFor(url)],
    },
  };
};

/** `GET /v1/approvals/:id/approve` → `getApprovalsByIdApprove`. */
export function operationIdFor(method: string, url: string): string {
  const words = url
    .replace(/^\/v1\//, "")
    .split("/")
    .filter((segment) => segment !== "")
    .flatMap((segment) =>
      segment.startsWith(":") ? ["by", ...segment.slice(1).split(/[_.-]/)] : segment.split(/[_.-]/),
    );
  return [method.toLowerCase(), ...words.map(capitalise)].join("");
}

function capitalise(word: string): string {
  return word === "" ? "" : word[0]?.toUpperCase() + word.slice(1);
}

function tagFor(url: string): string {
  return url.replace(/^\/v1\//, "").split("/")[0] || "health";
}

/**
 * The finished document: `servers` (this server, relative to where the document is fetched) and
 * the list of tags the operations use, each defined once.
 */
export const openApiDocumentTransform = ({
  openapiObject,
}: {
  openapiObject: Partial<OpenAPIV3_1.Document>;
}): Partial<OpenAPIV3_1.Document> => {
  const used = new Set<string>();
  for (const operations of Object.values(openapiObject.paths ?? {})) {
    for (const operation of Object.values(operations ?? {})) {
      for (const tag of (operation as { tags?: string[] }).tags ?? []) used.add(tag);
    }
  }
  return {
    ...openapiObject,
    servers: [{ url: "/", description: "This server (paths start with /v1)" }],
    tags: [...used].sort().map((name) => ({ name })),
  };
};
