import { afterEach, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "./helpers/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

const ALLOWED = "https://ops.example.com";

describe("CORS", () => {
  it("is off by default: no CORS header for any origin, and no preflight answer", async () => {
    server = await createTestServer();
    const read = await server.app.inject({
      method: "GET",
      url: "/v1/secrets",
      headers: { origin: ALLOWED, authorization: `Bearer ${server.agentKey}` },
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await server.app.inject({
      method: "OPTIONS",
      url: "/v1/secrets",
      headers: { origin: ALLOWED, "access-control-request-method": "GET" },
    });
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(preflight.headers["access-control-allow-methods"]).toBeUndefined();
  });

  it("answers an allowed origin's preflight and reads, and nobody else's", async () => {
    server = await createTestServer({ corsOrigins: [ALLOWED] });
    const preflight = await server.app.inject({
      method: "OPTIONS",
      url: "/v1/secrets/production/db",
      headers: {
        origin: ALLOWED,
        "access-control-request-method": "PUT",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(preflight.headers["access-control-allow-methods"]).toContain("PUT");
    expect(preflight.headers["access-control-allow-headers"]).toContain("authorization");
    expect(preflight.headers["access-control-allow-credentials"]).toBeUndefined();

    const read = await server.app.inject({
      method: "GET",
      url: "/v1/secrets",
      headers: { origin: ALLOWED, authorization: `Bearer ${server.agentKey}` },
    });
    expect(read.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(read.headers["access-control-expose-headers"]).toContain("retry-after");
    expect(read.headers.vary).toContain("Origin");

    const other = await server.app.inject({
      method: "OPTIONS",
      url: "/v1/secrets",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    expect(other.headers["access-control-allow-methods"]).toBeUndefined();
  });
});
