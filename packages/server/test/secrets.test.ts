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

const CANARY = "canary-value-1f3a9c";

describe("PUT and GET /v1/secrets/{path}", () => {
  it("creates a secret (201), adds a version (200) and reads each version back", async () => {
    server = await createTestServer();
    const created = await putSecret(server, server.agentKey, "production/openai/api-key", {
      value: `${CANARY}-v1`,
      tier: "standard",
      secret_type: "api_key",
      description: "OpenAI key",
      tags: { team: "ml" },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      path: "production/openai/api-key",
      namespace: "production/openai",
      key: "api-key",
      version: 1,
      tier: "standard",
      access_tier: "standard",
      secret_type: "api_key",
      type: "api_key",
      description: "OpenAI key",
      tags: { team: "ml" },
      metadata: { team: "ml" },
      expires_at: null,
    });
    expect(created.body).not.toContain(CANARY);
    const updated = await putSecret(server, server.agentKey, "production/openai/api-key", {
      value: `${CANARY}-v2`,
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      version: 2,
      secret_type: "api_key",
      tags: { team: "ml" },
    });

    const latest = await getWith(server, server.agentKey, "/v1/secrets/production/openai/api-key");
    expect(latest.statusCode).toBe(200);
    expect(latest.json()).toMatchObject({ value: `${CANARY}-v2`, version: 2 });
    expect(latest.json().accessed_at).toBe("2026-01-15T10:00:00.000Z");
    const first = await getWith(
      server,
      server.agentKey,
      "/v1/secrets/production/openai/api-key?version=1",
    );
    expect(first.json()).toMatchObject({ value: `${CANARY}-v1`, version: 1 });
    const missing = await getWith(
      server,
      server.agentKey,
      "/v1/secrets/production/openai/api-key?version=9",
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({
      code: "SECRET_NOT_FOUND",
      path: "production/openai/api-key",
      version: 9,
    });
  });

  it("accepts the newer field names and rejects the two names disagreeing", async () => {
    server = await createTestServer();
    const created = await putSecret(server, server.agentKey, "a/b", {
      value: CANARY,
      access_tier: "sensitive",
      type: "db_credential",
      metadata: { owner: "ops" },
    });
    expect(created.json()).toMatchObject({
      tier: "sensitive",
      secret_type: "db_credential",
      tags: { owner: "ops" },
    });
    const clash = await putSecret(server, server.agentKey, "a/c", {
      value: CANARY,
      tier: "standard",
      access_tier: "critical",
    });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().error.issues[0].field).toBe("access_tier");
  });

  it("names the same secret with literal slashes and with one percent-encoded segment", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "production%2Fopenai%2Fapi-key", { value: CANARY });
    const literal = await getWith(server, server.agentKey, "/v1/secrets/production/openai/api-key");
    expect(literal.json()).toMatchObject({ path: "production/openai/api-key", value: CANARY });
    const metadata = await getWith(
      server,
      server.agentKey,
      "/v1/metadata/production%2Fopenai/api-key",
    );
    expect(metadata.json().path).toBe("production/openai/api-key");
  });

  it("answers 404 SECRET_NOT_FOUND with the path for an unknown secret", async () => {
    server = await createTestServer();
    const response = await getWith(server, server.agentKey, "/v1/secrets/nothing/here");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: "SECRET_NOT_FOUND", message: expect.any(String), path: "nothing/here" },
      detail: expect.stringContaining("nothing/here"),
    });
  });

  it("treats a secret past its expires_at as absent", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "a/temp", {
      value: CANARY,
      expires_at: "2026-01-15T10:05:00Z",
    });
    expect((await getWith(server, server.agentKey, "/v1/secrets/a/temp")).statusCode).toBe(200);
    server.clock.advance(300);
    expect((await getWith(server, server.agentKey, "/v1/secrets/a/temp")).statusCode).toBe(404);
    expect((await getWith(server, server.agentKey, "/v1/metadata/a/temp")).statusCode).toBe(404);
    const listing = await getWith(server, server.agentKey, "/v1/secrets?namespace=a");
    expect(listing.json().items).toEqual([]);
    const revived = await putSecret(server, server.agentKey, "a/temp", { value: `${CANARY}-2` });
    expect(revived.statusCode).toBe(201);
    expect(revived.json()).toMatchObject({ version: 2, expires_at: null });
  });

  it("rejects an expires_at in the past", async () => {
    server = await createTestServer();
    const response = await putSecret(server, server.agentKey, "a/b", {
      value: CANARY,
      expires_at: "2020-01-01T00:00:00Z",
    });
    expect(response.statusCode).toBe(400);
  });
});

describe("If-Match and Idempotency-Key", () => {
  it("checks If-Match against the current version (0 = create only)", async () => {
    server = await createTestServer();
    const create = await putSecret(
      server,
      server.agentKey,
      "a/b",
      { value: CANARY },
      { headers: { "if-match": "0" } },
    );
    expect(create.statusCode).toBe(201);
    const again = await putSecret(
      server,
      server.agentKey,
      "a/b",
      { value: CANARY },
      { headers: { "if-match": "0" } },
    );
    expect(again.statusCode).toBe(412);
    expect(again.json().error).toMatchObject({ code: "PRECONDITION_FAILED", current_version: 1 });
    const next = await putSecret(
      server,
      server.agentKey,
      "a/b",
      { value: CANARY },
      { headers: { "if-match": '"1"' } },
    );
    expect(next.statusCode).toBe(200);
    const bad = await putSecret(
      server,
      server.agentKey,
      "a/b",
      { value: CANARY },
      { headers: { "if-match": "latest" } },
    );
    expect(bad.statusCode).toBe(400);
  });

  it("replays the first response for a retried key and body, writing one version", async () => {
    server = await createTestServer();
    const headers = { "idempotency-key": "retry-1" };
    const first = await putSecret(server, server.agentKey, "a/b", { value: CANARY }, { headers });
    const second = await putSecret(server, server.agentKey, "a/b", { value: CANARY }, { headers });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const metadata = await getWith(server, server.agentKey, "/v1/metadata/a/b");
    expect(metadata.json().versions).toHaveLength(1);
  });

  it("refuses the same key with another body with 409 CONFLICT", async () => {
    server = await createTestServer();
    const headers = { "idempotency-key": "retry-2" };
    await putSecret(server, server.agentKey, "a/b", { value: CANARY }, { headers });
    const other = await putSecret(
      server,
      server.agentKey,
      "a/b",
      { value: `${CANARY}-x` },
      { headers },
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe("CONFLICT");
    expect(other.body).not.toContain(CANARY);
  });
});

describe("POST /v1/secrets (legacy create)", () => {
  it("creates with 201 and answers 409 CONFLICT when the path exists", async () => {
    server = await createTestServer();
    const payload = { path: "legacy/key", value: CANARY, tier: "standard" };
    const created = await server.app.inject({
      method: "POST",
      url: "/v1/secrets",
      headers: bearer(server.agentKey),
      payload,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ path: "legacy/key", version: 1 });
    const again = await server.app.inject({
      method: "POST",
      url: "/v1/secrets",
      headers: bearer(server.agentKey),
      payload,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("CONFLICT");
  });
});

describe("DELETE /v1/secrets/{path}", () => {
  it("destroys every version; then the secret is 404", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "a/b", { value: CANARY });
    await putSecret(server, server.agentKey, "a/b", { value: CANARY });
    const deleted = await server.app.inject({
      method: "DELETE",
      url: "/v1/secrets/a/b",
      headers: bearer(server.agentKey),
    });
    expect(deleted.statusCode).toBe(204);
    expect((await getWith(server, server.agentKey, "/v1/secrets/a/b?version=1")).statusCode).toBe(
      404,
    );
    const again = await server.app.inject({
      method: "DELETE",
      url: "/v1/secrets/a/b",
      headers: bearer(server.agentKey),
    });
    expect(again.statusCode).toBe(404);
  });
});

describe("POST /v1/secrets/import", () => {
  it("imports every key of a .env text into the namespace", async () => {
    server = await createTestServer();
    const response = await server.app.inject({
      method: "POST",
      url: "/v1/secrets/import",
      headers: bearer(server.agentKey),
      payload: {
        namespace: "staging/app",
        content: `# app\nexport DB_URL="fake://user@db/app"\nAPI_KEY='${CANARY}'\nPLAIN=${CANARY}-plain # comment\n`,
        tier: "sensitive",
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      namespace: "staging/app",
      imported: ["DB_URL", "API_KEY", "PLAIN"],
      keys: ["DB_URL", "API_KEY", "PLAIN"],
      imported_count: 3,
      skipped: 0,
    });
    const read = await getWith(server, server.adminKey, "/v1/secrets/staging/app/PLAIN");
    expect(read.json()).toMatchObject({ value: `${CANARY}-plain`, tier: "sensitive" });
  });

  it("imports nothing when a line is bad, and says which line without the value", async () => {
    server = await createTestServer();
    const response = await server.app.inject({
      method: "POST",
      url: "/v1/secrets/import",
      headers: bearer(server.agentKey),
      payload: { namespace: "n", content: `GOOD=${CANARY}\n../ESCAPE=${CANARY}\n` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].field).toBe("content.line 2");
    expect(response.body).not.toContain(CANARY);
    expect((await getWith(server, server.agentKey, "/v1/secrets/n/GOOD")).statusCode).toBe(404);
  });
});
