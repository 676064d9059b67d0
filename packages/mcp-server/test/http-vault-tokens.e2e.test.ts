import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import type { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type HttpMcp, startHttpMcp } from "./support/http-mcp.js";
import { connectHttp, structured } from "./support/mcp-client.js";

let vault: RunningVault;
let mcp: HttpMcp;

beforeAll(async () => {
  vault = await startVault();
  await vault.admin.setSecret("production/service/token", "fixture-vt-service-token-5a6b");
  await vault.admin.setSecret("production/database/password", "fixture-vt-db-password-7c8d");
  mcp = await startHttpMcp(vault, { acceptVaultTokens: true });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await vault?.close();
});

const callerToken = async (scope: string) =>
  (await vault.agent.requestToken({ scope, ttlSeconds: 600, description: "an MCP caller" })).value;

async function revokedCount(): Promise<number> {
  let count = 0;
  for await (const _event of vault.vaultAdmin.listAudit({ event: "token.revoked" })) count += 1;
  return count;
}

it("serves a caller holding a vault token with that token's scopes, never the server's", async () => {
  const token = await callerToken("secrets:read:production/service/*");
  const client = await connectHttp(mcp.server.url, token);
  try {
    const allowed = structured(
      await client.call("list_secrets", { namespace: "production/service" }),
    );
    expect(allowed.status).toBe("ok");
    // The server's own agent key could read this; the caller's token cannot, so neither can it.
    const refused = await client.call("get_secret_metadata", {
      path: "production/database/password",
    });
    expect(refused.isError).toBe(true);
    expect(structured(refused).status).toBe("denied");
  } finally {
    await client.close();
  }
  // No token passthrough: the caller's token went only to the vault's token endpoints (checked,
  // then exchanged once for a session token); the tools' calls carried other credentials.
  const withCallerToken = mcp.vaultRequests.filter(
    ({ headers }) => headers.get("authorization") === `Bearer ${token}`,
  );
  expect(withCallerToken.length).toBeGreaterThan(0);
  for (const { url } of withCallerToken) {
    expect(new URL(url).pathname).toMatch(/^\/v1\/tokens(\/self)?$/);
  }
  expect(mcp.vaultRequests.some(({ url }) => new URL(url).pathname.startsWith("/v1/secrets"))).toBe(
    true,
  );
}, 60_000);

it("revokes the session's token when the session ends", async () => {
  const client = await connectHttp(mcp.server.url, await callerToken("secrets:read:production/*"));
  expect(structured(await client.call("list_secrets", { namespace: "production" })).status).toBe(
    "ok",
  );
  const before = await revokedCount();
  await (client.client.transport as StreamableHTTPClientTransport).terminateSession();
  await client.close();
  await expect.poll(revokedCount, { timeout: 10_000 }).toBe(before + 1);
}, 60_000);

it("refuses unknown and revoked vault tokens with 401", async () => {
  const post = (token: string) =>
    fetch(mcp.server.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
  expect((await post("ast_tok_fixtureunknowntoken000000000000")).status).toBe(401);
  const token = await callerToken("secrets:read:production/*");
  await vault.agent.revokeToken(token);
  const response = await post(token);
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
}, 60_000);
