import { afterEach, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "./helpers/test-server.js";

let server: TestServer;
afterEach(async () => {
  await server?.app.close();
});

const ROUTES: [string, string][] = [
  ["get", "/v1/health"],
  ["get", "/v1/openapi.json"],
  ["post", "/v1/tokens"],
  ["get", "/v1/tokens"],
  ["get", "/v1/me"],
  ["get", "/v1/tokens/self"],
  ["delete", "/v1/tokens/self"],
  ["delete", "/v1/tokens/{token_id}"],
  ["get", "/v1/secrets"],
  ["post", "/v1/secrets"],
  ["get", "/v1/secrets/{path}"],
  ["put", "/v1/secrets/{path}"],
  ["delete", "/v1/secrets/{path}"],
  ["patch", "/v1/secrets/{path}"],
  ["post", "/v1/secrets/{path}/rotate"],
  ["post", "/v1/secrets/import"],
  ["get", "/v1/namespaces"],
  ["get", "/v1/metadata/{path}"],
  ["get", "/v1/approvals"],
  ["get", "/v1/approvals/{id}"],
  ["get", "/v1/approvals/agent/{id}"],
  ["post", "/v1/approvals/{id}/approve"],
  ["post", "/v1/approvals/{id}/deny"],
  ["post", "/v1/approvals/{id}/cancel"],
  ["get", "/v1/audit"],
  ["get", "/v1/audit/verify"],
  ["post", "/v1/audit/verify"],
  ["get", "/v1/audit/checkpoint"],
  ["post", "/v1/agents"],
  ["get", "/v1/agents"],
  ["delete", "/v1/agents/{id}"],
  ["post", "/v1/agents/{id}/rotate-key"],
  ["post", "/v1/admins"],
  ["get", "/v1/admins"],
  ["delete", "/v1/admins/{id}"],
  ["post", "/v1/admins/{id}/rotate-key"],
  ["post", "/v1/admins/{id}/make-operator"],
  ["post", "/v1/tenants"],
  ["put", "/v1/webhook"],
  ["get", "/v1/webhook"],
  ["delete", "/v1/webhook"],
  ...["get", "post", "put", "patch", "delete"].map((method): [string, string] => [
    method,
    "/v1/broker/{route}/{path}",
  ]),
];

describe("GET /v1/openapi.json", () => {
  it("describes every route, with its error responses, and no other", async () => {
    server = await createTestServer();
    const response = await server.app.inject({ method: "GET", url: "/v1/openapi.json" });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe("3.1.0");
    const documented = Object.entries(
      document.paths as Record<string, Record<string, unknown>>,
    ).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
    for (const [method, path] of ROUTES) {
      const operation = document.paths[path][method];
      expect(operation.summary, `${method} ${path}`).toEqual(expect.any(String));
      if (path !== "/v1/health" && path !== "/v1/openapi.json") {
        expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(["400", "401", "403", "500"]),
        );
      }
    }
  });

  it("documents the request body of PUT /v1/secrets/{path} with both generations' names", async () => {
    server = await createTestServer();
    const document = (await server.app.inject({ method: "GET", url: "/v1/openapi.json" })).json();
    const put = document.paths["/v1/secrets/{path}"].put;
    const schema = put.requestBody.content["application/json"].schema;
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        "value",
        "tier",
        "access_tier",
        "secret_type",
        "type",
        "tags",
        "metadata",
      ]),
    );
    expect(schema.additionalProperties).toBe(false);
    expect(put.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: "path", name: "path" })]),
    );
  });
});

describe("the served OpenAPI document lints clean", () => {
  it("has servers, and every operation a unique operationId and tags that the document defines", async () => {
    server = await createTestServer({ corsOrigins: ["https://ops.example.com"] });
    const response = await server.app.inject({ method: "GET", url: "/v1/openapi.json" });
    const document = response.json();
    expect(document.servers).toEqual([expect.objectContaining({ url: "/" })]);
    const defined = new Set((document.tags as { name: string }[]).map((tag) => tag.name));
    const ids = new Set<string>();
    for (const [path, operations] of Object.entries(
      document.paths as Record<string, Record<string, { operationId?: string; tags?: string[] }>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method} ${path}`;
        expect(operation.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(ids.has(operation.operationId ?? ""), `${where}: operationId reused`).toBe(false);
        ids.add(operation.operationId ?? "");
        expect(operation.tags?.length, where).toBeGreaterThan(0);
        for (const tag of operation.tags ?? [])
          expect(defined.has(tag), `${where}: ${tag}`).toBe(true);
      }
    }
    expect(ids.size).toBe(ROUTES.length);
    // The CORS preflight route stays out of the document.
    expect(
      Object.values(document.paths).some((operations) => "options" in (operations as object)),
    ).toBe(false);
  });
});
