import { afterEach, describe, expect, it } from "vitest";
import {
  bearer,
  createAgent,
  createTestServer,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer;
afterEach(async () => {
  await server?.app.close();
});

async function self(credential: string, remoteAddress?: string, headers = {}) {
  return server.app.inject({
    method: "GET",
    url: "/v1/tokens/self",
    headers: { ...bearer(credential), ...headers },
    ...(remoteAddress ? { remoteAddress } : {}),
  });
}

describe("authentication", () => {
  it("answers missing, malformed, unknown, revoked and expired credentials with the same 401 body", async () => {
    server = await createTestServer();
    const issued = await requestToken(server, server.agentKey, {
      scope: "secrets:read:a/*",
      ttl_seconds: 60,
    });
    const revoked = await requestToken(server, server.agentKey, { scope: "secrets:read:a/*" });
    await server.app.inject({
      method: "DELETE",
      url: "/v1/tokens/self",
      headers: bearer(revoked.body.token),
    });
    server.clock.advance(61);
    const answers = await Promise.all([
      server.app.inject({ method: "GET", url: "/v1/tokens/self" }),
      self("not-a-credential"),
      self(`ast_tok_${"A".repeat(43)}`),
      self(revoked.body.token),
      self(issued.body.token),
      server.app.inject({
        method: "GET",
        url: "/v1/tokens/self",
        headers: { authorization: "Basic abc" },
      }),
    ]);
    const bodies = answers.map((answer) => [answer.statusCode, answer.json()]);
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(bodies[0]).toEqual([
      401,
      { error: { code: "UNAUTHORIZED", message: expect.any(String) }, detail: expect.any(String) },
    ]);
    const [, body] = bodies[0] as [number, { error: { message: string }; detail: string }];
    expect(body.detail).toBe(body.error.message);
  });

  it("accepts the agent key in x-agent-key", async () => {
    server = await createTestServer();
    const response = await server.app.inject({
      method: "POST",
      url: "/v1/tokens",
      headers: { "x-agent-key": server.agentKey },
      payload: { scope: "secrets:read:a/*" },
    });
    expect(response.statusCode).toBe(201);
  });
});

describe("POST /v1/tokens", () => {
  it("issues a token with both generations' fields in the response", async () => {
    server = await createTestServer();
    const { statusCode, body } = await requestToken(server, server.agentKey, {
      scope: "secrets:read:production/openai/*",
      ttl_seconds: 600,
      description: "subagent",
      allowed_ips: ["10.0.1.50"],
      max_uses: 3,
    });
    expect(statusCode).toBe(201);
    expect(body).toMatchObject({
      scope: "secrets:read:production/openai/*",
      scopes: ["secrets:read:production/openai/*"],
      ttl_seconds: 600,
      ttl: "600s",
      expires_at: "2026-01-15T10:10:00.000Z",
      description: "subagent",
      allowed_ips: ["10.0.1.50"],
      ip_allowlist: ["10.0.1.50"],
      max_uses: 3,
      uses_remaining: 3,
      approval_status: "approved",
      approval_request_id: null,
      approval_id: null,
      requires_approval: false,
    });
    expect(body.token).toMatch(/^ast_tok_/);
    expect(body.value).toBe(body.token);
    expect(body.token_id).toMatch(/^tok_/);
  });

  it("accepts the newer field names: scopes, ttl, ip_allowlist", async () => {
    server = await createTestServer();
    const { statusCode, body } = await requestToken(server, server.agentKey, {
      scopes: ["secrets:read:a/*", "secrets:write:a/*"],
      ttl: "15m",
      ip_allowlist: ["10.0.0.0/8"],
      max_uses: null,
    });
    expect(statusCode).toBe(201);
    expect(body).toMatchObject({
      scope: "secrets:read:a/*",
      scopes: ["secrets:read:a/*", "secrets:write:a/*"],
      ttl_seconds: 900,
      allowed_ips: ["10.0.0.0/8"],
      max_uses: null,
      uses_remaining: null,
    });
  });

  it("rejects unknown fields, bad scopes, bad TTLs and bad addresses with 400 and issues", async () => {
    server = await createTestServer();
    const cases: [Record<string, unknown>, string][] = [
      [{ scope: "secrets:read:a/*", teir: "critical" }, "teir"],
      [{ scope: "secrets:read:prod*" }, "scopes.0"],
      [{}, "scope"],
      [{ scope: "secrets:read:a/*", ttl_seconds: 86_401 }, "ttl_seconds"],
      [{ scope: "secrets:read:a/*", ttl: "1w" }, "ttl"],
      [{ scope: "secrets:read:a/*", ttl_seconds: 0 }, "ttl_seconds"],
      [{ scope: "secrets:read:a/*", allowed_ips: ["10.0.0.300"] }, "allowed_ips"],
      [{ scope: "secrets:read:a/*", max_uses: 0 }, "max_uses"],
      [{ scope: 42 }, "scope"],
    ];
    for (const [payload, field] of cases) {
      const { statusCode, body } = await requestToken(server, server.agentKey, payload);
      expect(statusCode, JSON.stringify(payload)).toBe(400);
      const error = body.error as { code: string; issues: { field: string }[] };
      expect(error.code).toBe("VALIDATION_ERROR");
      expect(error.issues.map((issue) => issue.field)).toContain(field);
    }
  });

  it("refuses scopes outside the agent's allowed scopes with 403 SCOPE_DENIED", async () => {
    server = await createTestServer();
    const { agentKey } = await createAgent(server, ["secrets:read:production/openai/*"]);
    const inside = await requestToken(server, agentKey, {
      scope: "secrets:read:production/openai/api-key",
    });
    expect(inside.statusCode).toBe(201);
    const outside = await requestToken(server, agentKey, { scope: "secrets:read:production/*" });
    expect(outside.statusCode).toBe(403);
    expect(outside.body.error).toMatchObject({
      code: "SCOPE_DENIED",
      path: "production/*",
      required_scope: "secrets:read:production/*",
    });
    const write = await requestToken(server, agentKey, {
      scope: "secrets:write:production/openai/*",
    });
    expect(write.statusCode).toBe(403);
  });
});

describe("child tokens", () => {
  it("issues a child within the parent's scopes, capped by its remaining lifetime and uses", async () => {
    server = await createTestServer();
    const parent = await requestToken(server, server.agentKey, {
      scope: "secrets:read:production/*",
      ttl_seconds: 600,
      max_uses: 5,
    });
    server.clock.advance(100);
    const child = await requestToken(server, parent.body.token, {
      scope: "secrets:read:production/openai/*",
    });
    expect(child.statusCode).toBe(201);
    expect(child.body).toMatchObject({
      ttl_seconds: 500,
      max_uses: 4,
      parent_token_id: parent.body.token_id,
    });
    // The child's four uses came out of the parent's budget (one went on the mint): it is spent.
    expect((await self(parent.body.token)).statusCode).toBe(401);
  });

  it("refuses a child that would out-scope, outlive or out-use its parent", async () => {
    server = await createTestServer();
    const parent = await requestToken(server, server.agentKey, {
      scope: "secrets:read:production/*",
      ttl_seconds: 600,
      max_uses: 3,
    });
    const wider = await requestToken(server, parent.body.token, { scope: "secrets:read:*" });
    const longer = await requestToken(server, parent.body.token, {
      scope: "secrets:read:production/*",
      ttl_seconds: 601,
    });
    const more = await requestToken(server, parent.body.token, {
      scope: "secrets:read:production/*",
      max_uses: 3,
    });
    const unlimited = await requestToken(server, parent.body.token, {
      scope: "secrets:read:production/*",
      max_uses: null,
      ttl_seconds: 10,
    });
    for (const answer of [wider, longer, more]) {
      expect(answer.statusCode).toBe(403);
      expect((answer.body.error as { code: string }).code).toBe("SCOPE_DENIED");
    }
    // max_uses: null means "not given", so the child takes the parent's remaining uses (out of
    // the parent's budget), and the refused attempts spent nothing.
    expect(unlimited.statusCode).toBe(201);
    expect(unlimited.body.max_uses).toBe(2);
    expect((await self(parent.body.token)).statusCode).toBe(401);
  });
});

describe("revocation", () => {
  it("revokes a token's descendants with it", async () => {
    server = await createTestServer();
    const root = await requestToken(server, server.agentKey, { scope: "secrets:read:a/*" });
    const child = await requestToken(server, root.body.token, { scope: "secrets:read:a/*" });
    const grandchild = await requestToken(server, child.body.token, { scope: "secrets:read:a/*" });
    const sibling = await requestToken(server, server.agentKey, { scope: "secrets:read:a/*" });
    const revoked = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${root.body.token_id}`,
      headers: bearer(server.agentKey),
    });
    expect(revoked.statusCode).toBe(204);
    for (const token of [root, child, grandchild]) {
      expect((await self(token.body.token)).statusCode).toBe(401);
    }
    expect((await self(sibling.body.token)).statusCode).toBe(200);
  });

  it("lets an ancestor token and an admin revoke, and hides the token from anyone else", async () => {
    server = await createTestServer();
    const other = await createAgent(server, ["secrets:*:*"], "other");
    const root = await requestToken(server, server.agentKey, { scope: "secrets:read:a/*" });
    const child = await requestToken(server, root.body.token, { scope: "secrets:read:a/*" });
    const grandchild = await requestToken(server, child.body.token, { scope: "secrets:read:a/*" });
    const stranger = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${grandchild.body.token_id}`,
      headers: bearer(other.agentKey),
    });
    expect(stranger.statusCode).toBe(404);
    const byAncestor = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${grandchild.body.token_id}`,
      headers: bearer(root.body.token),
    });
    expect(byAncestor.statusCode).toBe(204);
    expect((await self(grandchild.body.token)).statusCode).toBe(401);
    const byAdmin = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${child.body.token_id}`,
      headers: bearer(server.adminKey),
    });
    expect(byAdmin.statusCode).toBe(204);
    expect((await self(child.body.token)).statusCode).toBe(401);
  });

  it("revokes the presenting token with DELETE /v1/tokens/self", async () => {
    server = await createTestServer();
    const token = await requestToken(server, server.agentKey, { scope: "secrets:read:a/*" });
    const response = await server.app.inject({
      method: "DELETE",
      url: "/v1/tokens/self",
      headers: bearer(token.body.token),
    });
    expect(response.statusCode).toBe(204);
    expect((await self(token.body.token)).statusCode).toBe(401);
  });

  it("stops the tokens of a deleted agent", async () => {
    server = await createTestServer();
    const agent = await createAgent(server, ["secrets:*:*"]);
    const token = await requestToken(server, agent.agentKey, { scope: "secrets:read:a/*" });
    const deleted = await server.app.inject({
      method: "DELETE",
      url: `/v1/agents/${agent.agentId}`,
      headers: bearer(server.adminKey),
    });
    expect(deleted.statusCode).toBe(204);
    expect((await self(token.body.token)).statusCode).toBe(401);
    expect(
      (await requestToken(server, agent.agentKey, { scope: "secrets:read:a/*" })).statusCode,
    ).toBe(401);
  });
});

describe("GET /v1/tokens/self", () => {
  it("shows the token's record without its value and consumes no use", async () => {
    server = await createTestServer();
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:a/*",
      max_uses: 1,
    });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await self(token.body.token);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        token_id: token.body.token_id,
        uses: 0,
        uses_remaining: 1,
      });
      expect(response.body).not.toContain(token.body.token);
    }
  });

  it("expires a token at its TTL", async () => {
    server = await createTestServer();
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:a/*",
      ttl_seconds: 60,
    });
    server.clock.advance(59);
    expect((await self(token.body.token)).statusCode).toBe(200);
    server.clock.advance(1);
    expect((await self(token.body.token)).statusCode).toBe(401);
  });
});

describe("allowed_ips", () => {
  it("rejects a token used from outside its allowed addresses with 403 IP_NOT_ALLOWED", async () => {
    server = await createTestServer();
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:a/*",
      allowed_ips: ["10.1.2.0/24", "2001:db8::/32"],
    });
    expect((await self(token.body.token, "10.1.2.3")).statusCode).toBe(200);
    expect((await self(token.body.token, "2001:db8::7")).statusCode).toBe(200);
    const outside = await self(token.body.token, "127.0.0.1");
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe("IP_NOT_ALLOWED");
  });

  it("ignores X-Forwarded-For from an untrusted peer", async () => {
    server = await createTestServer();
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:a/*",
      allowed_ips: ["10.1.2.3"],
    });
    const spoofed = await self(token.body.token, "127.0.0.1", { "x-forwarded-for": "10.1.2.3" });
    expect(spoofed.statusCode).toBe(403);
  });

  it("believes X-Forwarded-For only from a configured trusted proxy", async () => {
    server = await createTestServer({ trustedProxies: ["192.168.0.10"] });
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:a/*",
      allowed_ips: ["10.1.2.3"],
    });
    const viaProxy = await self(token.body.token, "192.168.0.10", {
      "x-forwarded-for": "10.1.2.3",
    });
    expect(viaProxy.statusCode).toBe(200);
    const viaOther = await self(token.body.token, "192.168.0.11", {
      "x-forwarded-for": "10.1.2.3",
    });
    expect(viaOther.statusCode).toBe(403);
  });
});
