import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { type ConnectedClient, connectStdio, structured } from "./support/mcp-client.js";

// Fixture values: obviously fake, and unique enough to search for.
const SERVICE_TOKEN = "fixture-service-token-3c4d5e6f";
const DATABASE_PASSWORD = "fixture-database-password-7a8b";

type Stdio = ConnectedClient & { stderr(): string };

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;
/** The usual setup: the default agent key, destinations for the echo API. */
let mcp: Stdio;
/** Started with --reveal-values. */
let revealing: Stdio;
/** An agent that may only read `public/*`. */
let restricted: Stdio;

beforeAll(async () => {
  [vault, echo] = await Promise.all([startVault(), startEchoServer()]);
  await vault.admin.setSecret("production/service/token", SERVICE_TOKEN, {
    description: "token of the echo service",
  });
  await vault.admin.setSecret("production/database/password", DATABASE_PASSWORD);
  const agent = await vault.vaultAdmin.createAgent({
    name: "public-reader",
    allowedScopes: ["secrets:read:public/*"],
  });
  // The hosted MCP server's names: ASS_API_URL (an origin, no /v1) and ASS_AGENT_KEY.
  const env = { ASS_API_URL: vault.origin, ASS_AGENT_KEY: vault.agentKey };
  [mcp, revealing, restricted] = await Promise.all([
    connectStdio({
      ...env,
      ASS_MCP_DESTINATIONS: JSON.stringify([
        { origin: echo.origin, pathPrefixes: ["/api"], secretPaths: ["production/service/*"] },
      ]),
    }),
    connectStdio(env, ["--reveal-values"]),
    connectStdio({ ASS_BASE_URL: vault.baseUrl, ASS_AGENT_KEY: agent.apiKey }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([mcp?.close(), revealing?.close(), restricted?.close()]);
  await echo?.close();
  await vault?.close();
});

describe("tools/list", () => {
  it("offers every tool with an input and an output schema", async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      "list_secrets",
      "get_secret_metadata",
      "request_secret_access",
      "check_approval_status",
      "set_secret",
      "rotate_secret",
      "call_api_with_secret",
      "get_secret",
    ]);
    for (const tool of tools) {
      expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
    }
  });

  it("leaves call_api_with_secret out when no destination is configured", async () => {
    const { tools } = await revealing.client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain("call_api_with_secret");
  });
});

describe("list_secrets", () => {
  it("lists paths and metadata, never values", async () => {
    const result = await mcp.call("list_secrets", { namespace: "production" });
    expect(result.isError).toBeUndefined();
    const outcome = structured(result);
    expect(outcome.status).toBe("ok");
    const paths = (outcome.secrets as Array<{ path: string }>).map((secret) => secret.path);
    expect(paths).toEqual(["production/database/password", "production/service/token"]);
    expect(JSON.stringify(result)).not.toContain(SERVICE_TOKEN);
  });

  it("answers a namespace outside the agent's scopes as denied, with isError", async () => {
    const result = await restricted.call("list_secrets", { namespace: "production" });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("denied");
  });
});

describe("get_secret_metadata", () => {
  it("describes a secret without its value", async () => {
    const outcome = structured(
      await mcp.call("get_secret_metadata", { path: "production/service/token" }),
    );
    expect(outcome).toMatchObject({ status: "ok", path: "production/service/token" });
    expect(JSON.stringify(outcome)).not.toContain(SERVICE_TOKEN);
  });

  it("answers a missing secret as not_found, with isError", async () => {
    const result = await mcp.call("get_secret_metadata", { path: "production/nothing/here" });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("not_found");
  });
});

describe("request_secret_access", () => {
  it("obtains access for a standard secret without showing the token", async () => {
    const result = await mcp.call("request_secret_access", {
      path: "production/service/*",
      reason: "call the echo service",
    });
    expect(structured(result).status).toBe("approved");
    expect(JSON.stringify(result)).not.toMatch(/ast_tok_[A-Za-z0-9]/);
  });

  it("answers access beyond the agent's ceiling as denied, with isError", async () => {
    const result = await restricted.call("request_secret_access", {
      path: "production/*",
      reason: "try to read production",
    });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("denied");
  });
});

describe("check_approval_status", () => {
  it("answers an unknown approval request as not_found, with isError", async () => {
    const result = await mcp.call("check_approval_status", { approvalRequestId: "apr_unknown" });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("not_found");
  });
});

describe("set_secret", () => {
  it("stores a generated value that nobody sees", async () => {
    const result = await mcp.call("set_secret", {
      path: "production/webhooks/signing-secret",
      generate: { length: 40 },
    });
    expect(structured(result)).toMatchObject({ status: "stored", version: 1, generated: true });
    const stored = await vault.admin.getSecret("production/webhooks/signing-secret");
    expect(stored.value).toHaveLength(40);
    expect(JSON.stringify(mcp.received)).not.toContain(stored.value);
  });

  it("answers createOnly on an existing secret as conflict, with isError", async () => {
    const result = await mcp.call("set_secret", {
      path: "production/service/token",
      value: "fixture-other-value-1234",
      createOnly: true,
    });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("conflict");
  });

  it("answers arguments that break its schema as invalid_request, with isError", async () => {
    const result = await mcp.call("set_secret", { path: "production/x", value: "a", generate: {} });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("invalid_request");
  });
});

describe("rotate_secret", () => {
  it("rotates to a generated value that nobody sees", async () => {
    await vault.admin.setSecret("production/rotating/key", "fixture-rotating-old-value");
    const result = await mcp.call("rotate_secret", {
      path: "production/rotating/key",
      generate: { length: 32, alphabet: "hex" },
    });
    expect(structured(result)).toMatchObject({ status: "rotated", newVersion: 2, oldVersion: 1 });
    const rotated = await vault.admin.getSecret("production/rotating/key");
    expect(rotated.value).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(mcp.received)).not.toContain(rotated.value);
  });

  it("answers a missing secret as not_found, with isError", async () => {
    const result = await mcp.call("rotate_secret", {
      path: "production/never/stored",
      generate: {},
    });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("not_found");
  });
});

describe("call_api_with_secret", () => {
  it("sends the credential to an allowed API and masks it in the answer", async () => {
    const result = await mcp.call("call_api_with_secret", {
      url: `${echo.origin}/api/items?limit=1`,
      secretPath: "production/service/token",
    });
    const outcome = structured(result);
    expect(outcome).toMatchObject({ status: "completed", httpStatus: 200 });
    // The API got the credential; the model gets the echo with it masked.
    expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SERVICE_TOKEN}`);
    expect(outcome.body).toContain("Bearer [REDACTED]");
    expect(JSON.stringify(result)).not.toContain(SERVICE_TOKEN);
  });

  it("refuses a destination that is not configured, with isError", async () => {
    const before = echo.requests.length;
    const result = await mcp.call("call_api_with_secret", {
      url: `${echo.origin}/elsewhere`,
      secretPath: "production/service/token",
    });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("not_allowed");
    expect(echo.requests.length).toBe(before);
  });

  it("refuses a secret the destination may not receive, with isError", async () => {
    const result = await mcp.call("call_api_with_secret", {
      url: `${echo.origin}/api/items`,
      secretPath: "production/database/password",
    });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("not_allowed");
  });
});

describe("get_secret", () => {
  it("declines without --reveal-values and points to call_api_with_secret", async () => {
    const result = await mcp.call("get_secret", { path: "production/service/token" });
    expect(result.isError).toBe(true);
    const outcome = structured(result);
    expect(outcome.status).toBe("declined");
    expect(outcome.message).toContain("call_api_with_secret");
    expect(JSON.stringify(result)).not.toContain(SERVICE_TOKEN);
  });

  it("returns the value when the operator started the server with --reveal-values", async () => {
    const outcome = structured(
      await revealing.call("get_secret", { path: "production/service/token" }),
    );
    expect(outcome).toMatchObject({ status: "ok", value: SERVICE_TOKEN, version: 1 });
  });

  it("answers a missing secret as not_found with --reveal-values, with isError", async () => {
    const result = await revealing.call("get_secret", { path: "production/absent" });
    expect(result.isError).toBe(true);
    expect(structured(result).status).toBe("not_found");
  });

  it("keeps a revealed value out of its stderr log", () => {
    expect(revealing.stderr()).not.toContain(SERVICE_TOKEN);
  });
});

describe("failures the model cannot act on", () => {
  it("reports a credential the vault rejects as an MCP error, not a tool result", async () => {
    const rejected = await connectStdio({
      ASS_BASE_URL: vault.baseUrl,
      ASS_AGENT_KEY: "ass_live_fixturenotarealkey000000000000",
    });
    try {
      const error = await rejected
        .call("list_secrets", { namespace: "production" })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).message).toContain("ASS_AGENT_KEY");
      expect((error as McpError).message).not.toContain("fixturenotarealkey");
    } finally {
      await rejected.close();
    }
  }, 60_000);

  it("names the missing tool for an unknown tool name", async () => {
    const error = await mcp.call("delete_everything", {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).message).toContain("Unknown tool delete_everything");
  });
});
