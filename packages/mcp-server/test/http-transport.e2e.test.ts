import { request as httpRequest } from "node:http";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import type { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpMcpServer } from "../src/http/start-http-mcp-server.js";
import { McpConfigError } from "../src/mcp-config-error.js";
import { CALLER_A_TOKEN, CALLER_B_TOKEN, type HttpMcp, startHttpMcp } from "./support/http-mcp.js";
import { connectHttp, structured } from "./support/mcp-client.js";

const SERVICE_TOKEN = "fixture-http-service-token-9f8e7d";

let vault: RunningVault;
let mcp: HttpMcp;

beforeAll(async () => {
  vault = await startVault();
  await vault.admin.setSecret("production/service/token", SERVICE_TOKEN);
  mcp = await startHttpMcp(vault);
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await vault?.close();
});

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "raw-http-test", version: "1.0.0" },
  },
};

function post(headers: Record<string, string>, body: unknown = initialize) {
  return fetch(mcp.server.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe("caller authentication (MCP authorization, resource server side)", () => {
  it("answers a request without a bearer token 401, pointing to its resource metadata", async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    const origin = new URL(mcp.server.url).origin;
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  it("answers an unknown bearer token 401 invalid_token", async () => {
    const response = await post({ authorization: "Bearer fixture-not-a-caller-token-000000000" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("publishes its protected-resource metadata (RFC 9728) without authentication", async () => {
    const origin = new URL(mcp.server.url).origin;
    for (const path of [
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-protected-resource",
    ]) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        resource: `${origin}/mcp`,
        bearer_methods_supported: ["header"],
      });
    }
  });

  it("serves an authenticated SDK client, and never passes its token on to the vault", async () => {
    const client = await connectHttp(mcp.server.url, CALLER_A_TOKEN);
    try {
      const { tools } = await client.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("list_secrets");
      const outcome = structured(await client.call("list_secrets", { namespace: "production" }));
      expect(outcome.status).toBe("ok");
    } finally {
      await client.close();
    }
    expect(mcp.vaultRequests.length).toBeGreaterThan(0);
    for (const { headers } of mcp.vaultRequests) {
      expect(headers.get("authorization")).toBe(`Bearer ${vault.agentKey}`);
    }
  });
});

describe("sessions", () => {
  it("binds a session to the caller that opened it: another caller gets 404 for it", async () => {
    const client = await connectHttp(mcp.server.url, CALLER_A_TOKEN);
    try {
      const sessionId = (client.client.transport as StreamableHTTPClientTransport).sessionId;
      expect(sessionId).toBeTruthy();
      const listTools = { jsonrpc: "2.0", id: 2, method: "tools/list", params: {} };
      const intruder = await post(
        {
          authorization: `Bearer ${CALLER_B_TOKEN}`,
          "mcp-session-id": sessionId ?? "",
          "mcp-protocol-version": "2025-06-18",
        },
        listTools,
      );
      expect(intruder.status).toBe(404);
      // The owner still gets through.
      expect((await client.client.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("revokes the tokens a session obtained when the session ends", async () => {
    const client = await connectHttp(mcp.server.url, CALLER_A_TOKEN);
    const transport = client.client.transport as StreamableHTTPClientTransport;
    const granted = structured(
      await client.call("request_secret_access", {
        path: "production/service/*",
        reason: "use the service",
      }),
    );
    expect(granted.status).toBe("approved");
    const sessions = mcp.server.sessionCount();
    await transport.terminateSession();
    await client.close();
    expect(mcp.server.sessionCount()).toBe(sessions - 1);
    await expect.poll(() => mcp.log(), { timeout: 10_000 }).toContain("revoked 1 access token(s)");
    const revoked = [];
    for await (const event of vault.vaultAdmin.listAudit({ event: "token.revoked" })) {
      revoked.push(event);
    }
    expect(revoked.length).toBe(1);
  });

  it("closes the session of a client that went away without ending it, revoking its tokens", async () => {
    const idle = await startHttpMcp(vault, { sessionIdleTimeoutMs: 300 });
    try {
      const client = await connectHttp(idle.server.url, CALLER_A_TOKEN);
      const granted = structured(
        await client.call("request_secret_access", { path: "production/*", reason: "then idle" }),
      );
      expect(granted.status).toBe("approved");
      await expect.poll(() => idle.server.sessionCount(), { timeout: 10_000 }).toBe(0);
      await expect
        .poll(() => idle.log(), { timeout: 10_000 })
        .toContain("revoked 1 access token(s)");
      await client.close();
    } finally {
      await idle.close();
    }
  });

  it("refuses requests without a session that do not initialize one", async () => {
    const response = await post(
      { authorization: `Bearer ${CALLER_A_TOKEN}` },
      { jsonrpc: "2.0", id: 3, method: "tools/list", params: {} },
    );
    expect(response.status).toBe(400);
  });
});

describe("browser and network protections", () => {
  it("refuses a browser origin that was not allowed", async () => {
    const response = await post({
      authorization: `Bearer ${CALLER_A_TOKEN}`,
      origin: "https://attacker.example",
    });
    expect(response.status).toBe(403);
  });

  it("refuses a Host header that is not loopback (DNS rebinding)", async () => {
    const { port } = mcp.server;
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path: "/mcp",
          method: "POST",
          headers: {
            host: `rebound.example:${port}`,
            authorization: `Bearer ${CALLER_A_TOKEN}`,
            "content-type": "application/json",
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.end(JSON.stringify(initialize));
    });
    expect(status).toBe(403);
  });

  it("refuses to serve plain HTTP on a non-loopback address", async () => {
    const starting = startHttpMcpServer({
      host: "0.0.0.0",
      port: 0,
      authenticator: { authenticate: async () => undefined },
      openSession: () => {
        throw new Error("no session expected");
      },
      mask: (value) => value,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    await expect(starting).rejects.toBeInstanceOf(McpConfigError);
    await expect(starting).rejects.toThrow(/--tls-cert.*--insecure-http/);
  });

  it("answers 404 outside /mcp and the metadata paths", async () => {
    const response = await fetch(new URL("/admin", mcp.server.url));
    expect(response.status).toBe(404);
  });
});
