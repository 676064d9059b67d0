// A Vercel AI SDK agent that uses credentials from the Agent Secret Store without ever seeing
// one. Runs offline: it starts its own vault on 127.0.0.1, a stand-in CRM API and a stand-in
// OpenAI-compatible API, drives the tool loop with the AI SDK's own mock model, then makes real
// provider calls through @ai-sdk/openai with the key held in the vault, across a rotation.
//
//   node --conditions=source --import tsx examples/ai-sdk-agent.ts

import {
  createVaultToolkit,
  SecretRegistry,
  vaultProvider,
  vaultRedactionMiddleware,
  vaultToolsContext,
} from "@agentsecretstore/ai-sdk";
import { AgentVault, createCredentialProvider } from "@agentsecretstore/client";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, stepCountIs, wrapLanguageModel } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { startLocalVault } from "./lib/local-vault.js";
import { startOpenAIStub } from "./lib/openai-stub.js";
import { startStubApi } from "./lib/stub-api.js";

const CRM_KEY = "demo-ai-sdk-crm-key-5e6f7a";
const MODEL_KEY_V1 = "demo-ai-sdk-model-key-v1-1b2c";
const MODEL_KEY_V2 = "demo-ai-sdk-model-key-v2-3d4e";
const say = (text: string) => console.log(text);

/** The AI SDK's mock model, answering each call with the next step: tool calls, or text. */
function scripted(steps: Array<Array<{ name: string; input: object }> | string>) {
  const usage = {
    inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: 1, text: 1, reasoning: undefined },
  };
  let turn = 0;
  return new MockLanguageModelV4({
    doGenerate: async () => {
      const step = steps[Math.min(turn++, steps.length - 1)] ?? "";
      const content =
        typeof step === "string"
          ? [{ type: "text" as const, text: step }]
          : step.map((call, index) => ({
              type: "tool-call" as const,
              toolCallId: `call-${turn}-${index}`,
              toolName: call.name,
              input: JSON.stringify(call.input),
            }));
      const unified = typeof step === "string" ? ("stop" as const) : ("tool-calls" as const);
      return { content, finishReason: { unified, raw: undefined }, usage, warnings: [] };
    },
  });
}

async function main(): Promise<void> {
  say("Agent Secret Store × AI SDK: tools that use keys the model never sees\n");
  await using local = await startLocalVault();
  await using crm = await startStubApi({
    keys: { "crm key": CRM_KEY },
    route: (request) => (request.path === "/v1/contacts" ? { body: { contacts: 2 } } : undefined),
  });
  await using openaiStub = await startOpenAIStub({ "key v1": MODEL_KEY_V1 });
  await using vault = new AgentVault({ agentKey: local.agentKey, baseUrl: local.baseUrl, env: {} });
  await vault.setSecret("production/crm/api-key", CRM_KEY, { description: "CRM API key" });
  await vault.setSecret("production/openai/api-key", MODEL_KEY_V1, { description: "Model key" });
  say(`1. A vault at ${local.baseUrl} holds a CRM key and the model key.`);

  const registry = new SecretRegistry();
  const toolkit = createVaultToolkit(undefined, {
    registry,
    allowedDestinations: [{ origin: crm.origin, secretPaths: ["production/crm/*"] }],
  });
  const model = scripted([
    [{ name: "list_secrets", input: { namespace: "production" } }],
    [
      {
        name: "call_api_with_secret",
        input: { url: `${crm.origin}/v1/contacts`, secretPath: "production/crm/api-key" },
      },
    ],
    "The CRM has 2 contacts.",
  ]);
  const result = await generateText({
    model: wrapLanguageModel({ model, middleware: vaultRedactionMiddleware({ registry }) }),
    tools: toolkit.tools,
    // The run's vault client travels in toolsContext, which the model never sees.
    toolsContext: vaultToolsContext(toolkit.tools, { vault, runId: "crm-count" }),
    stopWhen: stepCountIs(4),
    prompt: "How many CRM contacts do we have?",
  });
  say("2. The tool loop (a scripted model):");
  for (const step of result.steps) {
    for (const toolResult of step.toolResults) {
      const output = toolResult.output as { status: string; httpStatus?: number };
      say(
        `   ${toolResult.toolName} → ${output.status}${output.httpStatus ? ` (HTTP ${output.httpStatus})` : ""}`,
      );
    }
  }
  say(`   model: ${result.text}`);

  // A real provider call: @ai-sdk/openai gets its key from the vault, request by request.
  const openai = vaultProvider(createOpenAI, {
    credential: createCredentialProvider(vault, "production/openai/api-key"),
    registry,
    settings: { baseURL: openaiStub.baseURL },
  });
  const chat = openai.chat("gpt-4o-mini");
  await generateText({ model: chat, prompt: "one", maxRetries: 0 });
  await vault.rotateSecret("production/openai/api-key", MODEL_KEY_V2);
  openaiStub.accept("key v2", MODEL_KEY_V2);
  openaiStub.retire("key v1");
  await generateText({ model: chat, prompt: "two words", maxRetries: 0 });
  const seen = openaiStub.exchanges.map((exchange) => `${exchange.presented} → ${exchange.status}`);
  say(`3. The provider across a rotation: ${seen.join(", ")}`);

  const prompts = model.doGenerateCalls.map((call) => JSON.stringify(call.prompt));
  const values = [CRM_KEY, MODEL_KEY_V1, MODEL_KEY_V2, local.agentKey];
  const leaks = prompts.filter((prompt) => values.some((value) => prompt.includes(value)));
  say(`4. vault values found in ${prompts.length} model prompts: ${leaks.length}`);
  if (leaks.length > 0 || seen.at(-1) !== "key v2 → 200") process.exitCode = 1;
}

await main();
