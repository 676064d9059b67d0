import { describe, expect, it } from "vitest";
import { buildRequest } from "./build-request.js";

const base = { baseUrl: "http://127.0.0.1:4010/v1", credential: "ass_live_fake-key-123" };

describe("buildRequest", () => {
  it("joins the base URL and path and adds defined query parameters", () => {
    const built = buildRequest({
      ...base,
      method: "GET",
      path: "/secrets",
      query: { namespace: "prod/openai", limit: 5, cursor: undefined },
    });
    expect(built.url).toBe("http://127.0.0.1:4010/v1/secrets?namespace=prod%2Fopenai&limit=5");
    expect(built.description).toBe("GET /v1/secrets");
  });

  it("sends the credential as a bearer token", () => {
    const built = buildRequest({ ...base, method: "GET", path: "/secrets/a" });
    expect(built.headers.authorization).toBe("Bearer ass_live_fake-key-123");
    expect(built.headers["x-ass-client"]).toMatch(/^ts\//);
  });

  it("gives every write an Idempotency-Key and no read one", () => {
    for (const method of ["PUT", "POST", "PATCH", "DELETE"] as const) {
      const built = buildRequest({ ...base, method, path: "/secrets/a" });
      expect(built.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(buildRequest({ ...base, method: "GET", path: "/secrets/a" }).headers).not.toHaveProperty(
      "idempotency-key",
    );
  });

  it("generates a different key for each call", () => {
    const first = buildRequest({ ...base, method: "PUT", path: "/secrets/a" });
    const second = buildRequest({ ...base, method: "PUT", path: "/secrets/a" });
    expect(first.headers["idempotency-key"]).not.toBe(second.headers["idempotency-key"]);
  });

  it("serialises the body as JSON, leaving out undefined fields", () => {
    const built = buildRequest({
      ...base,
      method: "PUT",
      path: "/secrets/a",
      body: { value: "canary-value-1f3a", tier: undefined },
      headers: { "If-Match": "0" },
    });
    expect(built.body).toBe('{"value":"canary-value-1f3a"}');
    expect(built.headers["content-type"]).toBe("application/json");
    expect(built.headers["if-match"]).toBe("0");
  });
});
