import { afterEach, describe, expect, it } from "vitest";
import { bearer, createTestServer, type TestServer } from "./helpers/test-server.js";

// docs/protocol.md, "Conventions": an empty body is no body, whatever the Content-Type.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

function send(method: "PUT" | "DELETE" | "POST", url: string, credential: string, body = "") {
  return server!.app.inject({
    method,
    url,
    headers: { ...bearer(credential), "content-type": "application/json" },
    payload: body,
  });
}

describe("an empty body with Content-Type: application/json", () => {
  it("is no body for a delete, a rotation and an approval decision", async () => {
    server = await createTestServer();
    const { adminKey, agentKey } = server;
    expect((await send("PUT", "/v1/secrets/a/b", agentKey, '{"value":"v1"}')).statusCode).toBe(201);
    const rotated = await send("POST", "/v1/secrets/a/b/rotate", agentKey);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json()).toMatchObject({ new_version: 2, old_version: 1 });
    expect((await send("DELETE", "/v1/secrets/a/b", agentKey)).statusCode).toBe(204);

    await send("PUT", "/v1/secrets/s/k", adminKey, '{"value":"v","tier":"sensitive"}');
    const pending = await server.app.inject({
      method: "GET",
      url: "/v1/secrets/s/k",
      headers: bearer(agentKey),
    });
    const id = pending.json().error.approval_request_id as string;
    const approved = await send("POST", `/v1/approvals/${id}/approve`, adminKey);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: "approved" });
  });

  it("is a 400 that says what is missing where a body is needed", async () => {
    server = await createTestServer();
    const response = await send("PUT", "/v1/secrets/a/b", server.agentKey);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: "VALIDATION_ERROR" } });
    expect(response.json().detail).toBe("Invalid request: body: is required: send a JSON object");
  });

  it("still refuses a body that is not JSON", async () => {
    server = await createTestServer();
    const response = await send("PUT", "/v1/secrets/a/b", server.agentKey, "{not json");
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toBe("The body is not valid JSON; send a JSON object");
    const poisoned = await send(
      "PUT",
      "/v1/secrets/a/b",
      server.agentKey,
      '{"value":"v","__proto__":{"x":1}}',
    );
    expect(poisoned.statusCode).toBe(400);
  });
});
