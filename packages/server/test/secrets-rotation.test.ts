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

describe("rotation", () => {
  it("keeps the old version readable by version until the grace period ends, then 404", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/db/password", { value: "canary-value-old" });
    const rotated = await server.app.inject({
      method: "POST",
      url: "/v1/secrets/prod/db/password/rotate",
      headers: bearer(server.agentKey),
      payload: { new_value: "canary-value-new", grace_period_seconds: 300 },
    });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json()).toEqual({
      path: "prod/db/password",
      new_version: 2,
      old_version: 1,
      expires_at: "2026-01-15T10:05:00.000Z",
      grace_period_seconds: 300,
      version: 2,
      grace_expires_at: "2026-01-15T10:05:00.000Z",
    });
    expect(rotated.body).not.toContain("canary-value");
    const current = await getWith(server, server.agentKey, "/v1/secrets/prod/db/password");
    expect(current.json()).toMatchObject({ version: 2, value: "canary-value-new" });

    server.clock.advance(299);
    const during = await getWith(server, server.agentKey, "/v1/secrets/prod/db/password?version=1");
    expect(during.json()).toMatchObject({ version: 1, value: "canary-value-old" });

    server.clock.advance(1);
    const after = await getWith(server, server.agentKey, "/v1/secrets/prod/db/password?version=1");
    expect(after.statusCode).toBe(404);
    expect(after.json().error).toMatchObject({ code: "SECRET_NOT_FOUND", version: 1 });
    const metadata = await getWith(server, server.agentKey, "/v1/metadata/prod/db/password");
    expect(metadata.json().versions).toEqual([
      {
        version: 1,
        created_at: "2026-01-15T10:00:00.000Z",
        retired_at: "2026-01-15T10:05:00.000Z",
      },
      { version: 2, created_at: "2026-01-15T10:00:00.000Z", retired_at: null },
    ]);
  });

  it("retires the old version at once without a grace period", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "a/b", { value: "canary-value-old" });
    await server.app.inject({
      method: "POST",
      url: "/v1/secrets/a/b/rotate",
      headers: bearer(server.agentKey),
      payload: { new_value: "canary-value-new" },
    });
    expect((await getWith(server, server.agentKey, "/v1/secrets/a/b?version=1")).statusCode).toBe(
      404,
    );
  });

  it("accepts the legacy PATCH form", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "a/b", { value: "canary-value-old" });
    const response = await server.app.inject({
      method: "PATCH",
      url: "/v1/secrets/a/b",
      headers: bearer(server.agentKey),
      payload: { value: "canary-value-new", grace_period_seconds: 60 },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      version: 2,
      new_version: 2,
      grace_expires_at: "2026-01-15T10:01:00.000Z",
    });
  });

  it("rotates a secret whose own name is rotate, at …/rotate/rotate", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "jobs/rotate", { value: "canary-value-old" });
    const response = await server.app.inject({
      method: "POST",
      url: "/v1/secrets/jobs/rotate/rotate",
      headers: bearer(server.agentKey),
      payload: { new_value: "canary-value-new" },
    });
    expect(response.json()).toMatchObject({ path: "jobs/rotate", new_version: 2 });
  });

  it("answers 404 for an unknown secret, and for a POST below /v1/secrets/ that is not a rotation", async () => {
    server = await createTestServer();
    const unknown = await server.app.inject({
      method: "POST",
      url: "/v1/secrets/none/rotate",
      headers: bearer(server.agentKey),
      payload: { new_value: "canary-value-new" },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe("SECRET_NOT_FOUND");
    const notRotate = await server.app.inject({
      method: "POST",
      url: "/v1/secrets/a/b",
      headers: bearer(server.agentKey),
      payload: { new_value: "canary-value-new" },
    });
    expect(notRotate.statusCode).toBe(404);
  });

  it("rejects a grace period above 30 days", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "a/b", { value: "canary-value-old" });
    const response = await server.app.inject({
      method: "POST",
      url: "/v1/secrets/a/b/rotate",
      headers: bearer(server.agentKey),
      payload: { new_value: "canary-value-new", grace_period_seconds: 30 * 86_400 + 1 },
    });
    expect(response.statusCode).toBe(400);
  });
});
