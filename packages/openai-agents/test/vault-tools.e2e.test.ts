import { AgentVault } from "@agentsecretstore/client";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { Agent, OutputGuardrailTripwireTriggered, run, tool } from "@openai/agents";
import {
  assistantMessage,
  functionCall,
  modelResponder,
  ScriptedModel,
} from "@openai/agents/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { createVaultToolkit } from "../src/create-vault-tools.js";
import { SecretRegistry } from "../src/index.js";
import { vaultModelInputFilter, vaultOutputGuardrail } from "../src/vault-redaction.js";
import { sentToModel, toolOutputs } from "./support/agents.js";

const CRM_KEY = "canary-crm-key-2c7e5a";
const CONFIG_PASSWORD = "canary-config-password-9b14";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;

beforeAll(async () => {
  vault = await startVault();
  echo = await startEchoServer();
  await vault.admin.setSecret("production/crm/api-key", CRM_KEY, { description: "CRM key" });
  await vault.admin.setSecret("production/config/password", CONFIG_PASSWORD);
});

afterAll(async () => {
  await echo?.close();
  await vault?.close();
});

const call = (name: string, args: Record<string, unknown>, callId: string) => [
  functionCall(name, args, { callId }),
];

describe("the vault tools in an Agents SDK run", () => {
  it("reads the vault from runContext.context and keeps every value from the model (canary)", async () => {
    const registry = new SecretRegistry();
    const token = await vault.agent.requestToken({
      scopes: ["secrets:read:production/*", "secrets:write:production/webhooks/*"],
      ttlSeconds: 300,
    });
    const subagent = new AgentVault({ token: token.value, baseUrl: vault.baseUrl, env: {} });
    const toolkit = createVaultToolkit(undefined, {
      registry,
      allowedDestinations: [{ origin: echo.origin, secretPaths: ["production/crm/*"] }],
    });
    // Not a vault tool: careless code that returns a value it read. The filter must mask it.
    const readConfig = tool({
      name: "read_config",
      description: "Reads the configuration.",
      parameters: z.object({}),
      execute: async () => {
        const secret = await subagent.getSecret("production/config/password");
        registry.add(secret.value);
        return `the password is ${secret.value}`;
      },
    });
    const model = new ScriptedModel([
      call("list_secrets", { namespace: "production" }, "c1"),
      call(
        "call_api_with_secret",
        { url: `${echo.origin}/v1/contacts`, secretPath: "production/crm/api-key" },
        "c2",
      ),
      call("set_secret", { path: "production/webhooks/crm", generate: { length: 40 } }, "c3"),
      call("get_secret", { path: "production/crm/api-key" }, "c4"),
      call("read_config", {}, "c5"),
      // A model that repeats the end of what it was sent.
      modelResponder((recorded) => [
        assistantMessage(`Done: ${JSON.stringify(recorded.request.input).slice(-160)}`),
      ]),
    ]);
    const agent = new Agent({
      name: "ops",
      instructions: "Use the vault tools.",
      model,
      tools: [...toolkit.tools, readConfig],
    });
    try {
      const result = await run(agent, "How many CRM contacts do we have?", {
        context: { vault: subagent },
        callModelInputFilter: vaultModelInputFilter({ registry }),
        maxTurns: 8,
      });
      expect(toolOutputs(result).map((output) => output.status)).toEqual([
        "ok",
        "completed",
        "stored",
        "declined",
      ]);
      expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${CRM_KEY}`);
      const sent = sentToModel(model.calls);
      expect(sent.at(-1)).toContain("the password is [REDACTED]");
      const generated = (await vault.admin.getSecret("production/webhooks/crm")).value;
      const everything = [...sent, String(result.finalOutput)];
      for (const value of [CRM_KEY, CONFIG_PASSWORD, generated, token.value, vault.agentKey]) {
        for (const text of everything) expect(text).not.toContain(value);
      }
    } finally {
      await subagent.close();
    }
  });

  it("without the input filter the careless tool's value reaches the model (the canary can fail)", async () => {
    const registry = new SecretRegistry();
    const readConfig = tool({
      name: "read_config",
      description: "Reads the configuration.",
      parameters: z.object({}),
      execute: async () => (await vault.agent.getSecret("production/config/password")).value,
    });
    const model = new ScriptedModel([call("read_config", {}, "c1"), [assistantMessage("ok")]]);
    const agent = new Agent({
      name: "ops",
      instructions: "i",
      model,
      tools: [...createVaultToolkit(vault.agent, { registry }).tools, readConfig],
    });
    await run(agent, "go");
    expect(sentToModel(model.calls).join("\n")).toContain(CONFIG_PASSWORD);
  });

  it("trips the output guardrail when the final answer holds a vault value", async () => {
    const registry = new SecretRegistry();
    registry.add(CRM_KEY);
    const agent = new Agent({
      name: "ops",
      instructions: "i",
      model: new ScriptedModel([[assistantMessage(`the key is ${CRM_KEY}`)]]),
      outputGuardrails: [vaultOutputGuardrail({ registry })],
    });
    const failure = await run(agent, "what is the key?").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OutputGuardrailTripwireTriggered);
    const info = (failure as OutputGuardrailTripwireTriggered<never>).result.output.outputInfo;
    expect(info).toEqual({ maskedOutput: "the key is [REDACTED]" });
    const clean = new Agent({
      name: "ops",
      instructions: "i",
      model: new ScriptedModel([[assistantMessage("nothing secret here")]]),
      outputGuardrails: [vaultOutputGuardrail({ registry })],
    });
    expect((await run(clean, "hi")).finalOutput).toBe("nothing secret here");
  });
});
