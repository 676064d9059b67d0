import { afterEach, describe, expect, it } from "vitest";
import {
  bearer,
  createAgent,
  createTestServer,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

async function get(test: TestServer, credential: string, url: string) {
  const response = await test.app.inject({ method: "GET", url, headers: bearer(credential) });
  return { statusCode: response.statusCode, body: response.json() as Record<string, unknown> };
}

describe("GET /v1/me", () => {
  it("describes an admin, an agent and a token by kind, name and scopes, spending no use", async () => {
    server = await createTestServer();
    const admin = await get(server, server.adminKey, "/v1/me");
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toMatchObject({ kind: "admin", is_operator: true, scopes: [] });
    expect(admin.body.id).toMatch(/^adm_/);

    const agent = await createAgent(server, ["secrets:read:team/*"], "nightly-batch");
    const asAgent = await get(server, agent.agentKey, "/v1/me");
    expect(asAgent.body).toMatchObject({
      kind: "agent",
      id: agent.agentId,
      name: "nightly-batch",
      scopes: ["secrets:read:team/*"],
    });

    const parent = await requestToken(server, agent.agentKey, {
      scope: "secrets:read:team/*",
      max_uses: 3,
      description: "parent",
    });
    const child = await requestToken(server, parent.body.token, {
      scope: "secrets:read:team/a",
      max_uses: 1,
    });
    expect(child.statusCode).toBe(201);
    const asChild = await get(server, child.body.token, "/v1/me");
    expect(asChild.body).toMatchObject({
      kind: "token",
      id: child.body.token_id,
      scopes: ["secrets:read:team/a"],
      uses_remaining: 1,
      parent_token_id: parent.body.token_id,
      issuer_type: "token",
      issuer_name: "nightly-batch",
    });
    // Asking twice spends nothing: the max_uses 1 token still has its use.
    expect((await get(server, child.body.token, "/v1/me")).body.uses_remaining).toBe(1);
    expect(JSON.stringify(asChild.body)).not.toContain(child.body.token);
  });

  it("answers an unknown credential with 401", async () => {
    server = await createTestServer();
    expect((await get(server, `ass_live_${"Q".repeat(43)}`, "/v1/me")).statusCode).toBe(401);
  });
});

describe("GET /v1/tokens", () => {
  it("lists live tokens parents first: all for an admin, an agent's families, a token's descendants", async () => {
    server = await createTestServer();
    const agent = await createAgent(server, ["secrets:*:*"], "worker");
    const root = await requestToken(server, agent.agentKey, { scope: "secrets:read:a/*" });
    server.clock.advance(1);
    const other = await requestToken(server, server.agentKey, { scope: "secrets:read:z/*" });
    server.clock.advance(1);
    // Minted after `other`, listed right below its parent.
    const child = await requestToken(server, root.body.token, { scope: "secrets:read:a/b" });
    const revoked = await requestToken(server, agent.agentKey, { scope: "secrets:read:r/*" });
    await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${revoked.body.token_id}`,
      headers: bearer(agent.agentKey),
    });
    const ids = (body: Record<string, unknown>) =>
      (body.items as { token_id: string }[]).map((item) => item.token_id);

    const asAdmin = await get(server, server.adminKey, "/v1/tokens");
    expect(asAdmin.statusCode).toBe(200);
    expect(ids(asAdmin.body)).toEqual([
      root.body.token_id,
      child.body.token_id,
      other.body.token_id,
    ]);

    const asAgent = await get(server, agent.agentKey, "/v1/tokens");
    expect(ids(asAgent.body)).toEqual([root.body.token_id, child.body.token_id]);
    const items = asAgent.body.items as Record<string, unknown>[];
    expect(items[1]).toMatchObject({ parent_token_id: root.body.token_id, issuer_name: "worker" });
    expect(JSON.stringify(asAgent.body)).not.toContain(root.body.token);

    const asChild = await get(server, child.body.token, "/v1/tokens");
    expect(ids(asChild.body)).toEqual([child.body.token_id]);
  });

  it("leaves out expired and used-up tokens", async () => {
    server = await createTestServer();
    const once = await requestToken(server, server.agentKey, {
      scope: "secrets:read:x/*",
      max_uses: 1,
    });
    await requestToken(server, server.agentKey, { scope: "secrets:read:y/*", ttl_seconds: 60 });
    await get(server, once.body.token, "/v1/secrets?namespace=x");
    server.clock.advance(120);
    const listed = await get(server, server.adminKey, "/v1/tokens");
    expect(listed.body.items).toEqual([]);
  });
});
