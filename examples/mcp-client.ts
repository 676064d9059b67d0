/**
 * The MCP server, driven by the MCP SDK's own client as an MCP host would: list the tools,
 * call an API with a credential the model never sees, and wait for a person's approval with
 * progress notifications. Offline: the vault and the API are started here on loopback.
 *
 *   node --conditions=source --import tsx examples/mcp-client.ts
 */
import { fileURLToPath } from "node:url";
import { AgentVault } from "@agentsecretstore/client";
import { VaultAdmin } from "@agentsecretstore/client/admin";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  type CallToolResult,
  CallToolResultSchema,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import { startLocalVault } from "./lib/local-vault.js";
import { bold, cyan, dim, ok, say, step } from "./lib/narrate.js";
import { startStubApi } from "./lib/stub-api.js";

const CRM_KEY = "demo-mcp-crm-key-4b5c6d7e";
const BILLING_KEY = "demo-mcp-billing-key-8f9a0b1c";

await using local = await startLocalVault();
await using admin = new VaultAdmin({ adminKey: local.adminKey, baseUrl: local.baseUrl });
await using api = await startStubApi({
  keys: { "crm key": CRM_KEY, "billing key": BILLING_KEY },
  route: ({ path, keyLabel }) => ({ body: { path, customers: 3, authenticatedWith: keyLabel } }),
});
console.log(bold("Agent Secret Store: the MCP server, driven by an MCP client"));
say(dim(`vault on ${local.baseUrl}, a stand-in API on ${api.origin}`));

// Seeded by a person (the admin key); the MCP server only ever holds the agent key.
await using seeding = new AgentVault({
  agentKey: local.adminKey,
  baseUrl: local.baseUrl,
});
await seeding.setSecret("production/crm/api-key", CRM_KEY, { description: "CRM API key" });
await seeding.setSecret("production/billing/api-key", BILLING_KEY, { tier: "sensitive" });

step("Start ass-mcp over stdio, as Claude Desktop or Cursor would");
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [
    "--conditions=source",
    "--import",
    "tsx",
    // The `ass-mcp` entry beside the package's main module (src/ under --conditions=source).
    fileURLToPath(new URL("./bin.ts", import.meta.resolve("@agentsecretstore/mcp"))),
    "--progress-interval",
    "0.5",
  ],
  env: {
    PATH: process.env.PATH ?? "",
    ASS_API_URL: local.server.url, // the hosted MCP server's variable: an origin works
    ASS_AGENT_KEY: local.agentKey,
    ASS_MCP_DESTINATIONS: JSON.stringify([
      { origin: api.origin, pathPrefixes: ["/v1"], secretPaths: ["production/*"] },
    ]),
  },
  stderr: "ignore",
});
const client = new Client({ name: "example-host", version: "1.0.0" });
await client.connect(transport);
// Every message the server sends, to search for values at the end.
const received: JSONRPCMessage[] = [];
const deliver = transport.onmessage;
transport.onmessage = (message) => {
  received.push(message);
  deliver?.(message);
};
const { tools } = await client.listTools();
ok(`${tools.length} tools: ${tools.map((tool) => tool.name).join(", ")}`);

/** A tool's structured answer (its outputSchema), and whether it was flagged isError. */
type Answer = Record<string, unknown> & { isError: boolean };

const call = async (
  name: string,
  args: Record<string, unknown>,
  onProgress?: (message: string) => void,
): Promise<Answer> => {
  const result = (await client.callTool({ name, arguments: args }, CallToolResultSchema, {
    ...(onProgress !== undefined && {
      onprogress: ({ message }: { message?: string | undefined }) => onProgress(message ?? ""),
      resetTimeoutOnProgress: true,
    }),
  })) as CallToolResult;
  return {
    ...(result.structuredContent as Record<string, unknown>),
    isError: result.isError === true,
  };
};

step("The model lists secrets: paths and metadata only");
const listed = await call("list_secrets", { namespace: "production" });
for (const secret of listed.secrets as Array<{ path: string; tier: string }>) {
  say(`${secret.path} [${secret.tier}]`);
}

step("The model asks for a value, and is told what to do instead");
const declined = await call("get_secret", { path: "production/crm/api-key" });
say(
  `get_secret → ${declined.status} (isError ${declined.isError}): ${cyan(String(declined.message))}`,
);

step("The model calls the API; the tool puts the key into the request");
const crm = await call("call_api_with_secret", {
  url: `${api.origin}/v1/customers`,
  secretPath: "production/crm/api-key",
});
ok(
  `call_api_with_secret → ${crm.status}, HTTP ${crm.httpStatus}, the API saw: ${api.exchanges.at(-1)?.presented}`,
);

step("A sensitive key needs a person: the model waits while an admin approves");
const pending = await call("request_secret_access", {
  path: "production/billing/api-key",
  reason: "send this month's invoices",
});
const approvalRequestId = String(pending.approvalRequestId);
say(`request_secret_access → ${pending.status}, approval request ${approvalRequestId}`);
let approving: Promise<unknown> | undefined;
const decided = await call(
  "check_approval_status",
  { approvalRequestId, waitSeconds: 60 },
  (message) => {
    say(dim(`progress: ${message}`));
    approving ??= admin.approve(approvalRequestId, { comment: "invoices are due" });
  },
);
await approving;
ok(`check_approval_status → ${decided.status}`);
const billing = await call("call_api_with_secret", {
  url: `${api.origin}/v1/invoices`,
  method: "POST",
  secretPath: "production/billing/api-key",
});
ok(
  `call_api_with_secret → ${billing.status}, HTTP ${billing.httpStatus}, the API saw: ${api.exchanges.at(-1)?.presented}`,
);

await client.close();
const leaks = received.filter((message) =>
  [CRM_KEY, BILLING_KEY].some((value) => JSON.stringify(message).includes(value)),
).length;
console.log(`vault values found in ${received.length} MCP messages from the server: ${leaks}`);
if (leaks > 0) process.exitCode = 1;
