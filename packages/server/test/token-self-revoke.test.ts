import { afterEach, describe, expect, it } from "vitest";
import {
  bearer,
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** The `ass_token_uses_total{outcome="consumed"}` counter of this server. */
async function consumedUses(test: TestServer): Promise<number> {
  const text = (
    await test.app.inject({ method: "GET", url: "/metrics", headers: bearer(test.metricsToken) })
  ).body;
  const line = text
    .split("\n")
    .find((entry) => entry.startsWith('ass_token_uses_total{outcome="consumed"}'));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

describe("DELETE /v1/tokens/{its own id}", () => {
  it("revokes a pending token without spending a use", async () => {
    server = await createTestServer({ metrics: { processMetrics: false } });
    await putSecret(server, server.adminKey, "gated/key", {
      value: "canary-value-self-revoke-1",
      tier: "sensitive",
    });
    const pending = await requestToken(server, server.agentKey, {
      scope: "secrets:read:gated/key",
      max_uses: 1,
    });
    expect(pending.statusCode).toBe(202);
    const before = await consumedUses(server);
    const revoked = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${pending.body.token_id}`,
      headers: bearer(pending.body.token),
    });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect(await consumedUses(server)).toBe(before);
    const after = await server.app.inject({
      method: "GET",
      url: "/v1/tokens/self",
      headers: bearer(pending.body.token),
    });
    expect(after.statusCode).toBe(401);
  });

  it("revokes an approved token without spending a use, as /self does", async () => {
    server = await createTestServer({ metrics: { processMetrics: false } });
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:plain/*",
      max_uses: 2,
    });
    expect(token.statusCode).toBe(201);
    const before = await consumedUses(server);
    const revoked = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${token.body.token_id}`,
      headers: bearer(token.body.token),
    });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect(await consumedUses(server)).toBe(before);
  });

  it("still spends a use when a token revokes its child", async () => {
    server = await createTestServer({ metrics: { processMetrics: false } });
    const parent = await requestToken(server, server.agentKey, {
      scope: "secrets:read:plain/*",
      max_uses: 5,
    });
    const child = await requestToken(server, parent.body.token, {
      scope: "secrets:read:plain/*",
      max_uses: 1,
    });
    expect(child.statusCode).toBe(201);
    const before = await consumedUses(server);
    const revoked = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${child.body.token_id}`,
      headers: bearer(parent.body.token),
    });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect(await consumedUses(server)).toBe(before + 1);
  });
});
