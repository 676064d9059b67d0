// An OpenAI Agents SDK agent whose access to a sensitive key waits for a person: the vault's
// pending approval stops the run through the SDK's own human in the loop, and the run resumes
// where it stopped once the operator approved in the vault. Runs offline: its own vault on
// 127.0.0.1, a stand-in payments API, and the SDK's ScriptedModel.
//
//   node --conditions=source --import tsx examples/openai-agents-approval.ts

import { AgentVault } from "@agentsecretstore/client";
import {
  createVaultToolkit,
  SecretRegistry,
  vaultModelInputFilter,
  vaultOutputGuardrail,
} from "@agentsecretstore/openai-agents";
import { Agent, run } from "@openai/agents";
import { assistantMessage, functionCall, ScriptedModel } from "@openai/agents/testing";
import { startLocalVault } from "./lib/local-vault.js";
import { startStubApi } from "./lib/stub-api.js";

const PAYMENTS_KEY = "demo-agents-payments-key-8a9b0c";
const say = (text: string) => console.log(text);

async function main(): Promise<void> {
  say("Agent Secret Store × OpenAI Agents: a sensitive key, approved by a person mid-run\n");
  await using local = await startLocalVault();
  await using payments = await startStubApi({
    keys: { "payments key": PAYMENTS_KEY },
    route: (request) => (request.path === "/v1/refunds" ? { body: { refunded: 42 } } : undefined),
  });
  await using vault = new AgentVault({ agentKey: local.agentKey, baseUrl: local.baseUrl, env: {} });
  await vault.setSecret("production/payments/key", PAYMENTS_KEY, {
    tier: "sensitive",
    description: "Payments API key (a person approves reads)",
  });
  say(`1. A vault at ${local.baseUrl} holds a 'sensitive' payments key.`);

  const registry = new SecretRegistry();
  const toolkit = createVaultToolkit(undefined, {
    registry,
    allowedDestinations: [
      { origin: payments.origin, methods: ["POST"], secretPaths: ["production/payments/*"] },
    ],
  });
  const model = new ScriptedModel([
    [
      functionCall(
        "request_secret_access",
        { path: "production/payments/*", reason: "Refund the duplicate charge on order 42" },
        { callId: "access" },
      ),
    ],
    [
      functionCall(
        "call_api_with_secret",
        {
          url: `${payments.origin}/v1/refunds`,
          method: "POST",
          secretPath: "production/payments/key",
          body: '{"order":42}',
        },
        { callId: "refund" },
      ),
    ],
    [assistantMessage("Order 42 is refunded.")],
  ]);
  const agent = new Agent({
    name: "payments",
    instructions: "Refund orders with the vault tools.",
    model,
    tools: toolkit.tools,
    outputGuardrails: [vaultOutputGuardrail({ registry })],
  });
  // The vault client is the run's context: the tools read it, the model never sees it.
  // Tracing would export to the network; this example stays offline.
  const options = {
    context: { vault },
    callModelInputFilter: vaultModelInputFilter({ registry }),
    tracingDisabled: true,
  };

  let result = await run(agent, "Refund order 42, it was charged twice.", options);
  say("2. The run stopped for a person:");
  while (result.interruptions.length > 0) {
    for (const item of result.interruptions) {
      const approval = toolkit.pendingApproval(item);
      say(`   ${item.name ?? "tool"} waits: ${approval?.personAction}`);
      // What `ass approvals approve <id>` or the console does: an admin key is an approver.
      const response = await fetch(
        `${local.baseUrl}/approvals/${approval?.approvalRequestId}/approve`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${local.adminKey}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({ comment: "duplicate charge confirmed" }),
        },
      );
      say(`   the operator approved it in the vault (HTTP ${response.status})`);
      result.state.approve(item);
    }
    result = await run(agent, result.state, options);
  }
  say("3. The run resumed where it stopped:");
  for (const item of result.newItems) {
    if (item.type !== "tool_call_output_item") continue;
    const output = JSON.parse(String((item as unknown as { output: unknown }).output));
    say(`   ${(item.rawItem as { name?: string }).name} → ${output.status}`);
  }
  say(`   model: ${result.finalOutput}`);
  const revoked = await toolkit.revokeAccess();

  const sent = model.calls.map((call) => JSON.stringify(call.request));
  const values = [PAYMENTS_KEY, local.agentKey];
  const leaks = sent.filter((text) => values.some((value) => text.includes(value)));
  const used = payments.exchanges.some((exchange) => exchange.presented === "payments key");
  say(`4. the payments API got the real key: ${used}; tokens revoked after the run: ${revoked}`);
  say(`   vault values found in ${sent.length} model requests: ${leaks.length}`);
  if (leaks.length > 0 || !used) process.exitCode = 1;
}

await main();
