import { afterEach, describe, expect, it } from "vitest";
import {
  createAgent,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer;
afterEach(async () => {
  await server?.app.close();
});

async function seed(paths: string[]): Promise<void> {
  for (const path of paths) {
    const response = await putSecret(server, server.agentKey, path, {
      value: `canary-value-${path}`,
    });
    if (response.statusCode !== 201) throw new Error(response.body);
  }
}

describe("GET /v1/secrets?namespace=", () => {
  it("lists metadata below a namespace recursively, ordered by path, without values", async () => {
    server = await createTestServer();
    await seed([
      "production/openai/api-key",
      "production/openai/org/key",
      "production/openai-evil/x",
      "production/db",
      "staging/db",
    ]);
    const response = await getWith(
      server,
      server.agentKey,
      "/v1/secrets?namespace=production/openai",
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.namespace).toBe("production/openai");
    expect(body.items.map((item: { path: string }) => item.path)).toEqual([
      "production/openai/api-key",
      "production/openai/org/key",
    ]);
    expect(body.next_cursor).toBeNull();
    expect(response.body).not.toContain("canary-value");
  });

  it("pages with limit and cursor until next_cursor is null", async () => {
    server = await createTestServer();
    const paths = Array.from({ length: 7 }, (_, index) => `ns/key-${index}`);
    await seed(paths);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/secrets?namespace=ns&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const body = (await getWith(server, server.agentKey, url)).json();
      seen.push(...body.items.map((item: { path: string }) => item.path));
      cursor = body.next_cursor;
      pages += 1;
    } while (cursor !== null);
    expect(seen).toEqual(paths);
    expect(pages).toBe(3);
  });

  it("returns only what the credential may read", async () => {
    server = await createTestServer();
    await seed(["team/a/one", "team/b/two", "team/a/three"]);
    const { agentKey } = await createAgent(server, ["secrets:read:team/a/*"]);
    const body = (await getWith(server, agentKey, "/v1/secrets?namespace=team")).json();
    expect(body.items.map((item: { path: string }) => item.path)).toEqual([
      "team/a/one",
      "team/a/three",
    ]);
  });

  it("answers 403 SCOPE_DENIED when the credential could read nothing below", async () => {
    server = await createTestServer();
    await seed(["team/a/one"]);
    const { agentKey } = await createAgent(server, [
      "secrets:read:other/*",
      "secrets:write:team/*",
    ]);
    const response = await getWith(server, agentKey, "/v1/secrets?namespace=team");
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({
      code: "SCOPE_DENIED",
      path: "team",
      required_scope: "secrets:read:team/*",
    });
  });

  it("rejects a bad namespace, limit or cursor with 400", async () => {
    server = await createTestServer();
    for (const query of [
      "namespace=a//b",
      "namespace=../x",
      "limit=0",
      "limit=201",
      "limit=ten",
      "cursor=not-a-cursor",
      "surprise=1",
    ]) {
      const response = await getWith(server, server.agentKey, `/v1/secrets?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe("VALIDATION_ERROR");
    }
  });
});

describe("GET on a namespace path", () => {
  it("answers with the listing when no secret is at the path but some are below", async () => {
    server = await createTestServer();
    await seed(["production/openai/api-key", "production/openai/org/key"]);
    const response = await getWith(server, server.agentKey, "/v1/secrets/production/openai");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ namespace: "production/openai", next_cursor: null });
    expect(response.json().items).toHaveLength(2);
  });

  it("answers with the secret when the path holds one, even if others are below", async () => {
    server = await createTestServer();
    await seed(["production/openai", "production/openai/api-key"]);
    const response = await getWith(server, server.agentKey, "/v1/secrets/production/openai");
    expect(response.json()).toMatchObject({
      path: "production/openai",
      value: "canary-value-production/openai",
    });
  });

  it("lists for a token that may read below but not the path itself", async () => {
    server = await createTestServer();
    await seed(["production/openai/api-key"]);
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:production/openai/*",
    });
    const response = await getWith(server, token.body.token, "/v1/secrets/production/openai");
    expect(response.statusCode).toBe(200);
    expect(response.json().items[0].path).toBe("production/openai/api-key");
  });
});

describe("scope enforcement on reads", () => {
  it("answers an out-of-scope read with 403 SCOPE_DENIED carrying path and required_scope", async () => {
    server = await createTestServer();
    await seed(["production/openai-evil/x", "production/openai/api-key"]);
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:production/openai/*",
    });
    const response = await getWith(
      server,
      token.body.token,
      "/v1/secrets/production/openai-evil/x",
    );
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({
      code: "SCOPE_DENIED",
      path: "production/openai-evil/x",
      required_scope: "secrets:read:production/openai-evil/x",
    });
  });

  it("does not let write imply read, nor read imply write", async () => {
    server = await createTestServer();
    await seed(["a/b"]);
    const writer = await requestToken(server, server.agentKey, { scope: "secrets:write:a/*" });
    expect((await getWith(server, writer.body.token, "/v1/secrets/a/b")).statusCode).toBe(403);
    const reader = await requestToken(server, server.agentKey, { scope: "secrets:read:a/*" });
    expect(
      (await putSecret(server, reader.body.token, "a/b", { value: "canary-value-x" })).statusCode,
    ).toBe(403);
  });

  it("answers the same 403 whether or not the secret exists", async () => {
    server = await createTestServer();
    await seed(["secret/exists"]);
    const token = await requestToken(server, server.agentKey, { scope: "secrets:read:public/*" });
    const existing = await getWith(server, token.body.token, "/v1/secrets/secret/exists");
    const missing = await getWith(server, token.body.token, "/v1/secrets/secret/missing");
    expect(existing.statusCode).toBe(403);
    expect(missing.statusCode).toBe(403);
    expect(existing.json().error.message).toBe(
      missing.json().error.message.replace("secret/missing", "secret/exists"),
    );
  });
});
