// A LangChain agent that uses credentials from the Agent Secret Store without ever seeing one.
// Runs offline: it starts its own vault on 127.0.0.1 (data in a temporary folder), a stand-in
// for a third-party API, and drives the agent with a scripted fake model.
//
//   node --conditions=source --import tsx examples/langchain-agent.ts

import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentVault } from "@agentsecretstore/client";
import {
  createVaultTools,
  SecretRegistry,
  VaultRedactionHandler,
} from "@agentsecretstore/langchain";
import { startServer } from "@agentsecretstore/server";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { Command, MemorySaver } from "@langchain/langgraph";
import { createVaultAgent } from "./lib/vault-agent.js";

const CRM_KEY = "demo-crm-key-0f1e2d3c4b5a";
const PAYMENTS_KEY = "demo-payments-key-1234abcd";
const MODEL_KEY = "demo-model-key-9a8b7c6d5e4f";

const say = (text: string) => console.log(text);
const short = (text: string, length = 110) =>
  text.length > length ? `${text.slice(0, length)}…` : text;

/** One line about a vault tool's JSON answer. */
function describeResult(content: string): string {
  const result = JSON.parse(content) as Record<string, unknown>;
  const details: string[] = [];
  if (Array.isArray(result.secrets)) {
    const paths = result.secrets.map((secret: { path: string }) => secret.path);
    details.push(`${paths.length} secrets (metadata only): ${paths.join(", ")}`);
  }
  if (result.httpStatus !== undefined)
    details.push(`HTTP ${result.httpStatus}, body ${result.body}`);
  if (result.version !== undefined)
    details.push(`${result.path} v${result.version}, value not shown`);
  if (result.approvalRequestId !== undefined) details.push(`approval ${result.approvalRequestId}`);
  if (result.accessHandle !== undefined) {
    details.push(`${result.scope} as ${result.accessHandle}, token not shown`);
  }
  return `${result.status}: ${details.join("; ")}`;
}

/**
 * A stand-in for the company's APIs: `/v1/contacts` wants the CRM key, `/v1/refunds` the
 * payments key. Each answer echoes the Authorization header it got, as careless APIs do.
 */
async function startCompanyApi(): Promise<{ origin: string; keysSeen: string[]; server: Server }> {
  const keysSeen: string[] = [];
  const server = createHttpServer((request, response) => {
    const key = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    keysSeen.push(key);
    const refunds = request.url?.startsWith("/v1/refunds") === true;
    const authorized = key === (refunds ? PAYMENTS_KEY : CRM_KEY);
    const answer = refunds ? { refunded: "order 42" } : { contacts: ["Ada", "Grace"] };
    response.writeHead(authorized ? 200 : 401, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        ...(authorized ? answer : { error: "unauthorized" }),
        debug: { receivedAuthorization: request.headers.authorization },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, keysSeen, server };
}

async function main(): Promise<void> {
  say("Agent Secret Store × LangChain: an agent that uses credentials it never sees\n");

  const dataDir = await mkdtemp(join(tmpdir(), "ass-langchain-demo-"));
  const server = await startServer({ port: 0, dataDir, logger: false, env: {} });
  const { baseUrl } = server;
  const api = await startCompanyApi();
  const { adminKey, agentKey } = server.firstStart ?? { adminKey: "", agentKey: "" };
  const operator = new AgentVault({ agentKey: adminKey, baseUrl, env: {} });
  const vault = new AgentVault({ agentKey, baseUrl, env: {} });

  try {
    say(`1. Started a vault at ${baseUrl} and a stand-in company API at ${api.origin}.`);
    await operator.setSecret("production/crm/api-key", CRM_KEY, { description: "CRM API key" });
    await operator.setSecret("production/openai/api-key", MODEL_KEY, { description: "Model key" });
    await operator.setSecret("production/payments/key", PAYMENTS_KEY, {
      tier: "sensitive",
      description: "Payments API key (a person approves reads)",
    });
    say("2. The operator stored three secrets; the payments key is 'sensitive'.\n");

    // One registry collects every value handed out during the run; everything masks from it.
    const registry = new SecretRegistry();
    const tools = createVaultTools(vault, {
      registry,
      allowedDestinations: [
        { origin: api.origin, pathPrefixes: ["/v1/contacts"], secretPaths: ["production/crm/*"] },
        {
          origin: api.origin,
          pathPrefixes: ["/v1/refunds"],
          methods: ["POST"],
          secretPaths: ["production/payments/*"],
        },
      ],
      // A pending approval pauses the run (LangGraph interrupt) until a person decides.
      onApprovalPending: "interrupt",
    });
    const scripted = fakeModel()
      .respondWithTools([{ name: "list_secrets", args: { namespace: "production" } }])
      .respondWithTools([
        {
          name: "call_api_with_secret",
          args: { url: `${api.origin}/v1/contacts`, secretPath: "production/crm/api-key" },
        },
      ])
      .respondWithTools([
        {
          name: "set_secret",
          args: {
            path: "production/webhooks/crm-signing",
            generate: { length: 40 },
            description: "Signing secret for CRM webhooks",
          },
        },
      ])
      .respondWithTools([
        {
          name: "request_secret_access",
          args: {
            path: "production/payments/*",
            reason: "Refund the duplicate charge on order 42",
          },
        },
      ])
      .respondWithTools([
        {
          name: "call_api_with_secret",
          args: {
            url: `${api.origin}/v1/refunds`,
            method: "POST",
            secretPath: "production/payments/key",
            body: '{"order":42}',
          },
        },
      ])
      .respond(
        new AIMessage(
          "Your CRM has 2 contacts (Ada, Grace). I stored a new webhook signing secret, and order 42 is refunded.",
        ),
      );
    // The model's own API key comes from the vault, fetched on first use.
    const agent = createVaultAgent({
      vault,
      registry,
      model: scripted,
      tools,
      checkpointer: new MemorySaver(),
    });

    // The narrator sits behind the redaction handler, so it only ever sees masked text; the
    // traffic recorder keeps exactly what the model was sent and what it answered.
    const modelTraffic: string[] = [];
    const narrator = BaseCallbackHandler.fromMethods({
      handleToolStart: (_tool, input, _runId, _parent, _tags, _metadata, runName) => {
        say(`   model → ${runName ?? "tool"} ${short(input)}`);
      },
      handleToolEnd: (output) => {
        say(`   tool  ← ${describeResult(String(output?.content ?? output))}`);
      },
    });
    const trafficRecorder = BaseCallbackHandler.fromMethods({
      handleChatModelStart: (_llm, messages) => {
        modelTraffic.push(JSON.stringify(messages));
      },
      handleLLMEnd: (output) => {
        modelTraffic.push(JSON.stringify(output));
      },
    });

    const config = {
      configurable: { thread_id: "order-42" },
      callbacks: [new VaultRedactionHandler({ registry, handlers: [narrator] }), trafficRecorder],
    };
    say("3. Running the agent (a scripted model; every line below is masked by the vault):");
    const paused = await agent.invoke(
      { messages: [new HumanMessage("How many CRM contacts do we have? Also refund order 42.")] },
      config,
    );
    const pending = paused.__interrupt__?.[0]?.value as { approvalRequestId: string } | undefined;
    if (pending === undefined) throw new Error("expected the run to wait for an approval");
    say(`   … the run is paused: approval ${pending.approvalRequestId} waits for a person.\n`);

    // What `ass approvals approve <id>` or the console does: an admin key is an approver.
    const approval = await fetch(`${baseUrl}/approvals/${pending.approvalRequestId}/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ comment: "duplicate charge confirmed" }),
    });
    say(`4. The operator approved it (HTTP ${approval.status}); the run resumes where it stopped:`);
    const result = await agent.invoke(new Command({ resume: true }), config);
    say(`   model: ${String(result.messages.at(-1)?.content)}\n`);

    const signing = (await operator.getSecret("production/webhooks/crm-signing")).value;
    const values = [CRM_KEY, PAYMENTS_KEY, MODEL_KEY, signing];
    const leaked = values.filter((value) => modelTraffic.some((text) => text.includes(value)));
    const keysUsed = api.keysSeen.includes(CRM_KEY) && api.keysSeen.includes(PAYMENTS_KEY);
    say("5. Checks:");
    say(`   the APIs received the real CRM and payments keys: ${keysUsed}`);
    say(`   the agent generated and stored a ${signing.length}-character signing secret`);
    say(
      `   vault values found in ${modelTraffic.length} messages to or from the model: ${leaked.length}`,
    );
    if (leaked.length > 0 || !keysUsed) process.exitCode = 1;
  } finally {
    await vault.close();
    await operator.close();
    await new Promise<void>((resolve) => api.server.close(() => resolve()));
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
