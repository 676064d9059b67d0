import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { generateText, stepCountIs, streamText, type Telemetry, tool, wrapLanguageModel } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { createVaultTools } from "../src/create-vault-tools.js";
import { SecretRegistry } from "../src/index.js";
import { redactTelemetry } from "../src/redact-telemetry.js";
import { redactToolResults } from "../src/redact-tool-results.js";
import { vaultRedactionMiddleware } from "../src/vault-redaction-middleware.js";
import { scriptedModel } from "./support/scripted-model.js";

const SERVICE_KEY = "canary-service-key-4f8a2c91";
const CONFIG_PASSWORD = "canary-config-password-7d3e";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;

beforeAll(async () => {
  vault = await startVault();
  echo = await startEchoServer();
  await vault.admin.setSecret("production/service/api-key", SERVICE_KEY);
  await vault.admin.setSecret("production/config/password", CONFIG_PASSWORD);
});

afterAll(async () => {
  await echo?.close();
  await vault?.close();
});

/** Every telemetry event, as JSON, that an integration behind the redaction received. */
function recordingTelemetry(): { events: string[]; integration: Telemetry } {
  const events: string[] = [];
  const record = (name: string) => (event: unknown) => {
    events.push(`${name} ${safeJson(event)}`);
  };
  return {
    events,
    integration: {
      onStart: record("start"),
      onLanguageModelCallStart: record("model-start"),
      onLanguageModelCallEnd: record("model-end"),
      onToolExecutionStart: record("tool-start"),
      onToolExecutionEnd: record("tool-end"),
      onStepEnd: record("step-end"),
      onEnd: record("end"),
    } as Telemetry,
  };
}

function safeJson(value: unknown): string {
  const seen = new WeakSet();
  return JSON.stringify(value, (_key, item) => {
    if (typeof item === "object" && item !== null) {
      if (seen.has(item)) return "[cycle]";
      seen.add(item);
    }
    return typeof item === "bigint" ? String(item) : item;
  });
}

/** A run in which a careless tool and the model itself try to leak the values. */
function canaryRun(registry: SecretRegistry) {
  const tools = {
    ...createVaultTools(vault.agent, {
      registry,
      allowedDestinations: [{ origin: echo.origin, secretPaths: ["production/service/*"] }],
    }),
    // Not a vault tool: it reads a value through the client and returns it whole, as careless
    // code does. Registered by the vault tools' use below, it must still never reach the model.
    read_config: tool({
      description: "Reads the configuration.",
      inputSchema: z.object({}),
      execute: async () => {
        const secret = await vault.agent.getSecret("production/config/password");
        registry.add(secret.value);
        return { password: secret.value, note: `the password is ${secret.value}` };
      },
    }),
  };
  const script = [
    [{ name: "list_secrets", input: { namespace: "production" } }],
    [
      {
        name: "call_api_with_secret",
        input: { url: `${echo.origin}/v1/echo`, secretPath: "production/service/api-key" },
      },
    ],
    [{ name: "get_secret", input: { path: "production/service/api-key" } }],
    [{ name: "read_config", input: {} }],
    [
      {
        name: "set_secret",
        input: { path: "production/service/copy", value: SERVICE_KEY, description: "a copy" },
      },
    ],
    // A model that repeats what it was told, and a value it somehow knows, split across deltas.
    (prompt: unknown) => `Done. I saw: ${safeJson(prompt).slice(-200)} and ${SERVICE_KEY}.`,
  ] as const;
  return { tools: redactToolResults(tools, { registry }), rawTools: tools, script };
}

describe("a canary run through the AI SDK", () => {
  it("generateText: no model prompt, result or telemetry event holds a value", async () => {
    const registry = new SecretRegistry();
    registry.add(SERVICE_KEY);
    const { tools, script } = canaryRun(registry);
    const model = scriptedModel(script);
    const telemetry = recordingTelemetry();
    const result = await generateText({
      model: wrapLanguageModel({ model, middleware: vaultRedactionMiddleware({ registry }) }),
      tools,
      stopWhen: stepCountIs(8),
      // A user who pastes a value: telemetry records the prompt, the model must not see it.
      prompt: `Check the service (its key is ${SERVICE_KEY}) and the configuration.`,
      telemetry: { integrations: [redactTelemetry(telemetry.integration, { registry })] },
    });

    expect(model.doGenerateCalls).toHaveLength(6);
    expect(result.text).toContain("[REDACTED]");
    const prompts = model.doGenerateCalls.map((call) => safeJson(call.prompt));
    // What the careless tool returned reached the model masked.
    expect(prompts.at(-1)).toContain("the password is [REDACTED]");
    const everything = [
      ...prompts,
      result.text,
      safeJson(result.steps),
      safeJson(result.response.messages),
      ...telemetry.events,
    ];
    expect(telemetry.events.length).toBeGreaterThan(5);
    for (const value of [SERVICE_KEY, CONFIG_PASSWORD, vault.agentKey, vault.adminKey]) {
      for (const [index, text] of everything.entries()) {
        expect(text, `item ${index}`).not.toContain(value);
      }
    }
  });

  it("streamText: a value split across deltas is masked in the stream and the result", async () => {
    const registry = new SecretRegistry();
    registry.add(SERVICE_KEY);
    const { tools, script } = canaryRun(registry);
    // Three-character deltas: the value arrives in many pieces.
    const model = scriptedModel(script, 3);
    const result = streamText({
      model: wrapLanguageModel({ model, middleware: vaultRedactionMiddleware({ registry }) }),
      tools,
      stopWhen: stepCountIs(8),
      prompt: "Check the service and the configuration.",
    });
    const deltas: string[] = [];
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") deltas.push(part.text);
    }
    const text = await result.text;
    expect(deltas.join("")).toBe(text);
    expect(text).toContain("[REDACTED].");
    // Not even the value's own tail, streamed in pieces of three, got through.
    expect(text).not.toContain(SERVICE_KEY.slice(-8));
    expect(model.doStreamCalls).toHaveLength(6);
    const everything = [
      ...deltas,
      text,
      ...model.doStreamCalls.map((call) => safeJson(call.prompt)),
      safeJson((await result.response).messages),
    ];
    for (const value of [SERVICE_KEY, CONFIG_PASSWORD]) {
      for (const piece of everything) expect(piece).not.toContain(value);
    }
  });

  it("without the middleware and the tool wrapper, the careless tool's value would reach the model (the canary can fail)", async () => {
    const registry = new SecretRegistry();
    const { rawTools, script } = canaryRun(registry);
    const model = scriptedModel(script);
    await generateText({ model, tools: rawTools, stopWhen: stepCountIs(8), prompt: "Check." });
    const prompts = model.doGenerateCalls.map((call) => safeJson(call.prompt)).join("\n");
    expect(prompts).toContain(CONFIG_PASSWORD);
  });
});
