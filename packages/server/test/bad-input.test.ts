import { afterEach, describe, expect, it } from "vitest";
import {
  bearer,
  createTestServer,
  getWith,
  putSecret,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer;
afterEach(async () => {
  await server?.app.close();
});

const CANARY = "canary-value-7d2e";

describe("malformed bodies", () => {
  it("answers malformed JSON with 400 and never quotes the body", async () => {
    server = await createTestServer();
    const response = await server.app.inject({
      method: "PUT",
      url: "/v1/secrets/a/b",
      headers: { ...bearer(server.agentKey), "content-type": "application/json" },
      payload: `{"value": "${CANARY}"`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("VALIDATION_ERROR");
    expect(response.body).not.toContain(CANARY);
  });

  it("answers empty, non-object, non-JSON and prototype-polluting bodies with 400", async () => {
    server = await createTestServer();
    const bodies: [string, string][] = [
      ["application/json", ""],
      ["application/json", "[]"],
      ["application/json", "null"],
      ["application/json", '"just a string"'],
      ["text/plain", CANARY],
      ["application/xml", "<value/>"],
      ["application/json", `{"value":"${CANARY}","__proto__":{"admin":true}}`],
      ["application/json", `{"value":"${CANARY}","constructor":{"prototype":{"admin":true}}}`],
    ];
    for (const [contentType, payload] of bodies) {
      const response = await server.app.inject({
        method: "PUT",
        url: "/v1/secrets/a/b",
        headers: { ...bearer(server.agentKey), "content-type": contentType },
        payload,
      });
      expect(response.statusCode, `${contentType} ${payload}`).toBe(400);
      expect(response.json().error.code).toBe("VALIDATION_ERROR");
      expect(response.body).not.toContain(CANARY);
    }
  });

  it("names unknown fields and wrong types in issues", async () => {
    server = await createTestServer();
    const typo = await putSecret(server, server.agentKey, "a/b", {
      value: CANARY,
      teir: "critical",
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error.issues).toEqual([{ field: "teir", message: expect.any(String) }]);
    const wrongType = await putSecret(server, server.agentKey, "a/b", { value: 42 });
    expect(wrongType.json().error.issues[0].field).toBe("value");
    const badTier = await putSecret(server, server.agentKey, "a/b", {
      value: CANARY,
      tier: "secret",
    });
    expect(badTier.json().error.issues[0].field).toBe("tier");
  });

  it("treats null for an optional field as not given", async () => {
    server = await createTestServer();
    const response = await putSecret(server, server.agentKey, "a/b", {
      value: CANARY,
      tier: null,
      description: null,
      tags: null,
      expires_at: null,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ tier: "standard", description: null, tags: {} });
  });
});

describe("size limits", () => {
  it("answers a value over the limit with 413 PAYLOAD_TOO_LARGE and the limit", async () => {
    server = await createTestServer({ limits: { maxValueBytes: 1024 } });
    const ok = await putSecret(server, server.agentKey, "a/b", { value: "x".repeat(1024) });
    expect(ok.statusCode).toBe(201);
    const tooBig = await putSecret(server, server.agentKey, "a/b", { value: "é".repeat(513) });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", limit: 1024 });
  });

  it("answers a body over the body limit with 413 PAYLOAD_TOO_LARGE and the limit", async () => {
    server = await createTestServer({ limits: { bodyLimitBytes: 2048 } });
    const response = await putSecret(server, server.agentKey, "a/b", { value: "x".repeat(4096) });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", limit: 2048 });
  });
});

describe("hostile paths", () => {
  // Dot segments (a/../b, %2e%2e) are resolved by inject()'s URL parsing before the server sees
  // them; test/socket.test.ts sends those over a real socket, where nothing resolves them.
  const hostile = [
    "a//b",
    "..%2F..%2Fetc%2Fpasswd",
    "a%2F%2Fb",
    "a/b/",
    "a%2Fb%2F",
    "%00",
    "a%0Ab",
    "a%20b",
    "a%5Cb",
    "caf%C3%A9",
    "a%zz",
    "%252e%252e",
    "x".repeat(129),
    Array.from({ length: 17 }, () => "s").join("/"),
    `${"abcdefgh/".repeat(57)}z`,
  ];

  it.each(hostile)("rejects %s with a 400 on every method, never a 5xx", async (path) => {
    server = await createTestServer();
    const requests = [
      { method: "GET", url: `/v1/secrets/${path}` },
      { method: "PUT", url: `/v1/secrets/${path}`, payload: { value: CANARY } },
      { method: "DELETE", url: `/v1/secrets/${path}` },
      { method: "GET", url: `/v1/metadata/${path}` },
      { method: "PATCH", url: `/v1/secrets/${path}`, payload: { value: CANARY } },
    ] as const;
    for (const request of requests) {
      const response = await server.app.inject({ ...request, headers: bearer(server.agentKey) });
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(400);
      expect(response.json().error.code).toBe("VALIDATION_ERROR");
    }
  });

  it("rejects a hostile path in the legacy create body", async () => {
    server = await createTestServer();
    const response = await server.app.inject({
      method: "POST",
      url: "/v1/secrets",
      headers: bearer(server.agentKey),
      payload: { path: "../escape", value: CANARY },
    });
    expect(response.statusCode).toBe(400);
  });
});

describe("hostile headers and queries", () => {
  it("answers odd credentials with 401, never 5xx", async () => {
    server = await createTestServer();
    for (const authorization of [
      "Bearer",
      "Bearer ",
      `Bearer ${"a".repeat(10_000)}`,
      "Bearer ass_live_\u0000",
      "Bearer  two words",
    ]) {
      const response = await server.app.inject({
        method: "GET",
        url: "/v1/secrets/a/b",
        headers: { authorization },
      });
      expect(response.statusCode, authorization.slice(0, 20)).toBe(401);
    }
  });

  it("rejects a bad version or a bad Idempotency-Key with 400", async () => {
    server = await createTestServer();
    for (const query of ["version=0", "version=abc", "version=1.5", "version=-1"]) {
      const response = await getWith(server, server.agentKey, `/v1/secrets/a/b?${query}`);
      expect(response.statusCode, query).toBe(400);
    }
    const key = await putSecret(
      server,
      server.agentKey,
      "a/b",
      { value: CANARY },
      { headers: { "idempotency-key": "has space" } },
    );
    expect(key.statusCode).toBe(400);
  });
});
