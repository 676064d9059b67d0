import { afterEach, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "./helpers/test-server.js";

describe("the app skeleton", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.app.close();
    server = undefined;
  });

  it("answers GET /v1/health without credentials", async () => {
    server = await createTestServer();
    const response = await server.app.inject({ method: "GET", url: "/v1/health" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: "ok" });
  });

  it("puts a generated x-request-id on every response", async () => {
    server = await createTestServer();
    const response = await server.app.inject({ method: "GET", url: "/v1/health" });
    expect(response.headers["x-request-id"]).toMatch(/^req_[0-9a-f-]{36}$/);
  });

  it("keeps a well-formed incoming x-request-id and replaces a hostile one", async () => {
    server = await createTestServer();
    const kept = await server.app.inject({
      method: "GET",
      url: "/v1/health",
      headers: { "x-request-id": "trace-42.abc" },
    });
    expect(kept.headers["x-request-id"]).toBe("trace-42.abc");
    const replaced = await server.app.inject({
      method: "GET",
      url: "/v1/health",
      headers: { "x-request-id": "bad id\twith spaces" },
    });
    expect(replaced.headers["x-request-id"]).toMatch(/^req_/);
  });

  it("answers an unknown route with a 404 in the error shape and a request id", async () => {
    server = await createTestServer();
    const response = await server.app.inject({ method: "GET", url: "/v1/nowhere" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: "NOT_FOUND", message: expect.any(String) },
      detail: expect.any(String),
    });
    expect(response.headers["x-request-id"]).toBeTruthy();
  });

  it("creates an admin key and an agent key on first start only", async () => {
    server = await createTestServer();
    expect(server.adminKey).toMatch(/^ass_admin_/);
    expect(server.agentKey).toMatch(/^ass_live_/);
  });
});
