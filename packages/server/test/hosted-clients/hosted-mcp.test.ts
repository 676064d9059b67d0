import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTED_MCP_BIN, type HostedVault, startHostedVault } from "./hosted-vault.js";

// The hosted product's MCP server 1.0 (`@agentsecretstore/mcp`, installed as hosted-mcp),
// unchanged, as a process over stdio, driven with the official MCP SDK client: every tool it
// lists. Configured as its README says: ASS_AGENT_KEY, and ASS_API_URL for our server.

const VALUE = "fixture-hosted-mcp-value-5be8";
const TOOLS = [
  "get_secret",
  "set_secret",
  "list_secrets",
  "list_namespaces",
  "delete_secret",
  "rotate_secret",
  "request_token",
  "get_approval_status",
];

let vault: HostedVault;
let client: Client;
let stderr = "";

type ToolResult = { content: { type: string; text: string }[]; isError?: boolean };

async function call(name: string, args: Record<string, unknown>): Promise<unknown> {
  const result = (await client.callTool({ name, arguments: args })) as ToolResult;
  return JSON.parse(result.content[0]?.text ?? "null");
}

async function failure(name: string, args: Record<string, unknown>): Promise<string> {
  const error = await call(name, args).then(
    () => new Error(`${name} succeeded`),
    (caught: Error) => caught,
  );
  return error.message;
}

beforeAll(async () => {
  vault = await startHostedVault();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [HOSTED_MCP_BIN],
    env: { PATH: process.env.PATH ?? "", ASS_API_URL: vault.apiUrl, ASS_AGENT_KEY: vault.agentKey },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  client = new Client({ name: "compat-test", version: "1.0.0" });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  await vault?.close();
});

describe("the hosted MCP server 1.0", () => {
  it("lists its eight tools", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOLS);
  });

  it("set_secret stores a value and answers without it", async () => {
    const written = await call("set_secret", {
      namespace: "production/openai",
      key: "OPENAI_API_KEY",
      value: VALUE,
      secret_type: "api_key",
    });
    expect(written).toMatchObject({ path: "production/openai/OPENAI_API_KEY", version: 1 });
    expect(JSON.stringify(written)).not.toContain(VALUE);
    const stored = await vault.api(
      "GET",
      "/v1/secrets/production/openai/OPENAI_API_KEY",
      vault.adminKey,
    );
    expect(stored.body).toMatchObject({ value: VALUE, secret_type: "api_key" });
  });

  it("get_secret returns the value (into the model's context: see the README)", async () => {
    // Its namespace arrives percent-encoded in one segment (production%2Fopenai).
    const read = await call("get_secret", {
      namespace: "production/openai",
      key: "OPENAI_API_KEY",
    });
    expect(read).toMatchObject({ value: VALUE, version: 1 });
  });

  it("list_secrets lists keys and metadata, never values", async () => {
    await call("set_secret", {
      namespace: "production/openai",
      key: "ORG_ID",
      value: "org-fixture",
    });
    const listing = (await call("list_secrets", { namespace: "production/openai" })) as {
      items: { key: string }[];
    };
    expect(listing.items.map((item) => item.key)).toEqual(["OPENAI_API_KEY", "ORG_ID"]);
    expect(JSON.stringify(listing)).not.toContain(VALUE);
  });

  it("list_namespaces lists the namespace names with a namespaces:read token", async () => {
    await call("set_secret", { namespace: "staging", key: "FLAG", value: "on" });
    const listing = await call("list_namespaces", {});
    expect(listing).toEqual({ namespaces: ["production", "production/openai", "staging"] });
  });

  it("delete_secret and rotate_secret only tell the model to ask a person", async () => {
    const deletion = await call("delete_secret", { namespace: "staging", key: "FLAG" });
    expect(deletion).toMatchObject({ requires_human_auth: true });
    const rotation = await call("rotate_secret", { namespace: "staging", key: "FLAG" });
    expect(rotation).toMatchObject({ requires_human_auth: true });
    const still = await vault.api("GET", "/v1/secrets/staging/FLAG", vault.adminKey);
    expect(still.body).toMatchObject({ value: "on", version: 1 });
  });

  it("request_token mints a scoped token that works only within its scope", async () => {
    const minted = (await call("request_token", {
      scopes: ["secrets:read:staging/*"],
      ttl: "15m",
    })) as { token: string };
    expect(minted.token).toMatch(/^ast_tok_/);
    expect((await vault.api("GET", "/v1/secrets/staging/FLAG", minted.token)).body).toMatchObject({
      value: "on",
    });
    const outside = await vault.api(
      "GET",
      "/v1/secrets/production/openai/OPENAI_API_KEY",
      minted.token,
    );
    expect(outside.status).toBe(403);
  });

  it("request_token for a sensitive secret, then get_approval_status as it is decided", async () => {
    await vault.api("PUT", "/v1/secrets/production/db/PASSWORD", vault.adminKey, {
      value: VALUE,
      tier: "sensitive",
    });
    const pending = (await call("request_token", {
      scopes: ["secrets:read:production/db/PASSWORD"],
    })) as { requires_approval: boolean; approval_id: string };
    expect(pending.requires_approval).toBe(true);
    expect(await call("get_approval_status", { approval_id: pending.approval_id })).toMatchObject({
      id: pending.approval_id,
      status: "pending",
      access_tier: "sensitive",
    });
    await vault.api("POST", `/v1/approvals/${pending.approval_id}/approve`, vault.adminKey);
    expect(await call("get_approval_status", { approval_id: pending.approval_id })).toMatchObject({
      status: "approved",
    });
  });

  it("get_secret of a sensitive secret says an approval is needed, with its id", async () => {
    const message = await failure("get_secret", { namespace: "production/db", key: "PASSWORD" });
    expect(message).toMatch(/Human approval required\. Approval ID: apr_[0-9a-f]+/);
  });

  it("failures carry our message (the detail field)", async () => {
    const missing = await failure("get_secret", { namespace: "production/openai", key: "NOPE" });
    expect(missing).toContain("No secret at production/openai/NOPE");
    const unknown = await failure("get_approval_status", { approval_id: "apr_0000" });
    expect(unknown).toContain("No approval request apr_0000");
  });

  it("left no value in the server's logs or its own stderr", () => {
    const logs = vault.logs.join("\n");
    expect(logs).toContain("request completed");
    expect(logs).not.toContain(VALUE);
    expect(stderr).not.toContain(VALUE);
  });
});
