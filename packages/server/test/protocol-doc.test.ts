import { readFileSync } from "node:fs";
import { ERROR_STATUS, WIRE_FIELD_ALIASES, type WireObjectName } from "@agentsecretstore/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "./helpers/test-server.js";

// docs/protocol.md is the contract in words; GET /v1/openapi.json is the contract the server
// serves. They must name the same endpoints, error codes and field aliases.

const DOC = readFileSync(new URL("../../../docs/protocol.md", import.meta.url), "utf8");

type Schema = { properties?: Record<string, Schema>; anyOf?: Schema[]; items?: Schema };
type Operation = {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};
type Document = { paths: Record<string, Record<string, Operation>> };

let server: TestServer;
let document: Document;

beforeAll(async () => {
  server = await createTestServer();
  const response = await server.app.inject({ method: "GET", url: "/v1/openapi.json" });
  document = response.json() as Document;
});

afterAll(async () => {
  await server?.app.close();
});

/** Every `METHOD /v1/...` the page names, without query strings. */
function documentedEndpoints(): Set<string> {
  const found = DOC.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/v1\/[^`?\s]*)/g);
  return new Set([...found].map(([, method, path]) => `${method} ${path}`));
}

/** The rows of the page's table whose header starts with `firstHeader`. */
function tableRows(firstHeader: string): string[][] {
  const lines = DOC.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`));
  expect(start, `a table starting with "${firstHeader}"`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim().replaceAll("`", "")),
    );
  }
  return rows;
}

/** Property names of a schema, through `anyOf` branches. */
function propertyNames(schema: Schema | undefined): Set<string> {
  if (schema === undefined) return new Set();
  const names = new Set(Object.keys(schema.properties ?? {}));
  for (const branch of schema.anyOf ?? [])
    for (const name of propertyNames(branch)) names.add(name);
  return names;
}

function json(part: { content?: Record<string, { schema: Schema }> } | undefined) {
  return part?.content?.["application/json"]?.schema;
}

/** Where each wire object of the alias table appears in the served document. */
function objectSchema(object: WireObjectName): Schema | undefined {
  const { paths } = document;
  switch (object) {
    case "secret":
      return json(paths["/v1/metadata/{path}"]?.get?.responses["200"]);
    case "secret-write":
      return paths["/v1/secrets/{path}"]?.put?.requestBody?.content["application/json"]?.schema;
    case "token-request":
      return paths["/v1/tokens"]?.post?.requestBody?.content["application/json"]?.schema;
    case "token":
      return json(paths["/v1/tokens"]?.post?.responses["201"]);
    case "rotation":
      return json(paths["/v1/secrets/{path}/rotate"]?.post?.responses["200"]);
    case "error":
      return json(paths["/v1/secrets/{path}"]?.get?.responses["202"])?.properties?.error;
    case "approval":
      return json(paths["/v1/approvals/{id}"]?.get?.responses["200"]);
    case "approval-decision":
      return paths["/v1/approvals/{id}/deny"]?.post?.requestBody?.content["application/json"]
        ?.schema;
    case "audit-event":
      return json(paths["/v1/audit"]?.get?.responses["200"])?.properties?.items?.items;
    case "audit-page":
      return json(paths["/v1/audit"]?.get?.responses["200"]);
    case "import-result":
      return json(paths["/v1/secrets/import"]?.post?.responses["200"]);
  }
}

describe("docs/protocol.md", () => {
  it("names exactly the endpoints the server serves", () => {
    const served = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect([...documentedEndpoints()].sort()).toEqual(served.sort());
  });

  it("lists every error code with its status, as the protocol package and the server do", () => {
    const rows = tableRows("status");
    const documented = Object.fromEntries(rows.map(([status, code]) => [code, Number(status)]));
    expect(documented).toEqual({ ...ERROR_STATUS });
    const served = JSON.stringify(document);
    for (const code of Object.keys(ERROR_STATUS)) expect(served, code).toContain(code);
  });

  it("describes the error shape the server serves: error {code, message} and detail", () => {
    expect(DOC).toContain(
      '`{"error": {"code": "...", "message": "...", ...details}, "detail": "..."}`',
    );
    for (const [path, operations] of Object.entries(document.paths)) {
      // A 503 from the health check is the health answer itself (status "unavailable").
      if (path === "/v1/health") continue;
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          const names = propertyNames(json(response));
          expect([...names].sort(), `${method} ${path} ${status}`).toEqual(["detail", "error"]);
          const inner = propertyNames(json(response)?.properties?.error);
          expect(inner.has("code") && inner.has("message"), `${method} ${path} ${status}`).toBe(
            true,
          );
        }
      }
    }
  });

  it("shows the protocol's alias table, and the server serves both names of each", () => {
    const rows = tableRows("seed name").map(([field, alias, where, value]) => ({
      field,
      alias,
      objects: (where ?? "").split(",").map((object) => object.trim()),
      value,
    }));
    expect(rows).toEqual(
      WIRE_FIELD_ALIASES.map((entry) => ({ ...entry, objects: [...entry.objects] })),
    );
    for (const entry of WIRE_FIELD_ALIASES) {
      for (const object of entry.objects) {
        const names = propertyNames(objectSchema(object));
        expect(names.has(entry.field), `${entry.field} in ${object}`).toBe(true);
        expect(names.has(entry.alias), `${entry.alias} in ${object}`).toBe(true);
      }
    }
  });
});
