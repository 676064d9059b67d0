import { AgentVault } from "@agentsecretstore/client";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { generateText, stepCountIs, wrapLanguageModel } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { createVaultToolkit, vaultToolsContext } from "../src/create-vault-tools.js";
import { SecretRegistry } from "../src/index.js";
import { vaultRedactionMiddleware } from "../src/vault-redaction-middleware.js";
import { scriptedModel } from "./support/scripted-model.js";

const CRM_KEY = "fixture-crm-key-6d2e9a";
const PAYMENTS_KEY = "fixture-payments-key-0b7c31";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;

beforeAll(async () => {
  vault = await startVault();
  echo = await startEchoServer();
  await vault.admin.setSecret("production/crm/api-key", CRM_KEY, { description: "CRM key" });
  await vault.admin.setSecret("production/payments/key", PAYMENTS_KEY, { tier: "sensitive" });
});

afterAll(async () => {
  await echo?.close();
  await vault?.close();
});

/** The outputs of every vault tool call of a run, in order. */
function toolOutputs(result: {
  steps: ReadonlyArray<{ toolResults: ReadonlyArray<{ toolName: string; output: unknown }> }>;
}): Array<Record<string, unknown>> {
  return result.steps.flatMap((step) =>
    step.toolResults.map((toolResult) => ({
      tool: toolResult.toolName,
      ...(toolResult.output as Record<string, unknown>),
    })),
  );
}

describe("the vault tools in an AI SDK tool loop", () => {
  it("lists, calls an API and stores a generated secret with the run's own credential", async () => {
    const registry = new SecretRegistry();
    // The run's credential: a subagent's client given through toolsContext, never by the model.
    const token = await vault.agent.requestToken({
      scopes: ["secrets:read:production/crm/*", "secrets:write:production/webhooks/*"],
      ttlSeconds: 300,
    });
    const subagent = new AgentVault({ token: token.value, baseUrl: vault.baseUrl, env: {} });
    const toolkit = createVaultToolkit(undefined, {
      registry,
      allowedDestinations: [{ origin: echo.origin, secretPaths: ["production/crm/*"] }],
    });
    const model = scriptedModel([
      [{ name: "list_secrets", input: { namespace: "production/crm" } }],
      [
        {
          name: "call_api_with_secret",
          input: { url: `${echo.origin}/v1/contacts`, secretPath: "production/crm/api-key" },
        },
      ],
      [
        {
          name: "set_secret",
          input: { path: "production/webhooks/crm", generate: { length: 40 } },
        },
      ],
      // Beyond what the run's token may do: a subagent cannot widen its own access.
      [
        {
          name: "request_secret_access",
          input: { path: "production/payments/*", reason: "refund" },
        },
      ],
      "The CRM has contacts; payments are not mine to touch.",
    ]);
    try {
      const result = await generateText({
        model: wrapLanguageModel({ model, middleware: vaultRedactionMiddleware({ registry }) }),
        tools: toolkit.tools,
        toolsContext: vaultToolsContext(toolkit.tools, { vault: subagent, runId: "run-1" }),
        stopWhen: stepCountIs(6),
        prompt: "How many CRM contacts do we have? Then get access to payments.",
      });
      const outputs = toolOutputs(result);
      expect(outputs.map((output) => `${output.tool}:${output.status}`)).toEqual([
        "list_secrets:ok",
        "call_api_with_secret:completed",
        "set_secret:stored",
        "request_secret_access:denied",
      ]);
      expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${CRM_KEY}`);

      const generated = (await vault.admin.getSecret("production/webhooks/crm")).value;
      const prompts = JSON.stringify(model.doGenerateCalls.map((call) => call.prompt));
      for (const value of [CRM_KEY, generated, token.value, vault.agentKey]) {
        expect(prompts).not.toContain(value);
        expect(JSON.stringify(result.response.messages)).not.toContain(value);
      }
      expect(await toolkit.revokeAccess()).toBe(0);
    } finally {
      await subagent.close();
    }
  });

  it("continues once a person approved: check_approval_status, then the API call", async () => {
    const registry = new SecretRegistry();
    const toolkit = createVaultToolkit(vault.agent, {
      registry,
      allowedDestinations: [{ origin: echo.origin, secretPaths: ["production/payments/*"] }],
    });
    const context = vaultToolsContext(toolkit.tools, { runId: "run-approval" });
    const askModel = scriptedModel([
      [
        {
          name: "request_secret_access",
          input: { path: "production/payments/*", reason: "refund" },
        },
      ],
      "Waiting for a person.",
    ]);
    const ask = await generateText({
      model: askModel,
      tools: toolkit.tools,
      toolsContext: context,
      stopWhen: stepCountIs(3),
      prompt: "Refund order 42.",
    });
    const pending = toolOutputs(ask)[0] ?? {};
    expect(pending.status).toBe("pending_approval");
    const approvalRequestId = String(pending.approvalRequestId);
    expect(String(pending.personAction)).toContain(`ass approvals approve ${approvalRequestId}`);
    // The model was told, in the tool result it got, that a person must approve first.
    const toldModel = JSON.stringify(askModel.doGenerateCalls.at(-1)?.prompt);
    expect(toldModel).toContain("pending_approval");
    expect(toldModel).toContain(approvalRequestId);
    await vault.approve(approvalRequestId);

    const resumed = await generateText({
      model: scriptedModel([
        [{ name: "check_approval_status", input: { approvalRequestId } }],
        [
          {
            name: "call_api_with_secret",
            input: {
              url: `${echo.origin}/v1/refunds`,
              method: "POST",
              secretPath: "production/payments/key",
              body: "{}",
            },
          },
        ],
        "Refunded.",
      ]),
      tools: toolkit.tools,
      toolsContext: context,
      stopWhen: stepCountIs(4),
      messages: [...ask.response.messages, { role: "user", content: "I approved it." }],
    });
    expect(toolOutputs(resumed).map((output) => output.status)).toEqual(["approved", "completed"]);
    expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${PAYMENTS_KEY}`);
    await toolkit.revokeAccess();
  });

  it("reports not_found and a refused destination as results the model can act on", async () => {
    const toolkit = createVaultToolkit(vault.agent, {
      registry: new SecretRegistry(),
      allowedDestinations: [{ origin: echo.origin, secretPaths: ["production/crm/*"] }],
    });
    const result = await generateText({
      model: scriptedModel([
        [
          { name: "get_secret_metadata", input: { path: "production/missing" } },
          {
            name: "call_api_with_secret",
            input: { url: "https://elsewhere.example/x", secretPath: "production/crm/api-key" },
          },
          { name: "get_secret", input: { path: "production/crm/api-key" } },
        ],
        "Done.",
      ]),
      tools: toolkit.tools,
      stopWhen: stepCountIs(3),
      prompt: "Try things.",
    });
    expect(toolOutputs(result).map((output) => output.status)).toEqual([
      "not_found",
      "not_allowed",
      "declined",
    ]);
  });
});
