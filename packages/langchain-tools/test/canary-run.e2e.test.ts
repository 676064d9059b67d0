import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { createCredentialProvider } from "@agentsecretstore/client";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { createVaultTools } from "../src/create-vault-tools.js";
import { lazyChatModel } from "../src/lazy-chat-model.js";
import { VaultRedactionHandler } from "../src/vault-redaction-handler.js";
import { vaultRedactionMiddleware } from "../src/vault-redaction-middleware.js";
import { toolResults } from "./support/agent-helpers.js";

const SERVICE_TOKEN = "canary-value-service-5d6e7f";
const MODEL_KEY = "canary-value-model-key-8a9b0c";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;

beforeAll(async () => {
  vault = await startVault();
  echo = await startEchoServer();
  await vault.admin.setSecret("production/service/token", SERVICE_TOKEN);
  await vault.admin.setSecret("production/model/api-key", MODEL_KEY);
});

afterAll(async () => {
  await echo?.close();
  await vault?.close();
});

/** Records, as text, every message sent to a model and every message a model sent back. */
function modelTrafficRecorder() {
  const traffic: string[] = [];
  const handler = BaseCallbackHandler.fromMethods({
    handleChatModelStart: (_llm, messages) => {
      traffic.push(JSON.stringify(messages));
    },
    handleLLMEnd: (output) => {
      traffic.push(JSON.stringify(output));
    },
  });
  return { handler, traffic };
}

describe("a canary run", () => {
  it("reads, uses, stores and rotates secrets without any value in a message to or from the model", async () => {
    const registry = new SecretRegistry();
    const tools = createVaultTools(vault.agent, {
      registry,
      allowedDestinations: [
        { origin: echo.origin, secretPaths: ["production/service/*", "production/webhooks/*"] },
      ],
    });
    // respondWithTools() fills each reply with the text the model was sent: a value that
    // reached the model would come straight back out of it.
    const fake = fakeModel()
      .respondWithTools([
        { name: "get_secret", args: { path: "production/service/token" } },
        {
          name: "call_api_with_secret",
          args: { url: `${echo.origin}/v1/me`, secretPath: "production/service/token" },
        },
      ])
      .respondWithTools([
        {
          name: "set_secret",
          args: { path: "production/webhooks/signing", generate: { length: 48 } },
        },
      ])
      .respondWithTools([
        {
          name: "call_api_with_secret",
          args: {
            url: `${echo.origin}/v1/hooks?verify=1`,
            method: "POST",
            secretPath: "production/webhooks/signing",
            credentialIn: "query",
            credentialName: "signing_secret",
          },
        },
        { name: "rotate_secret", args: { path: "production/service/token", generate: {} } },
      ])
      .respond(new AIMessage("Service checked, webhook secret stored, token rotated."));
    const model = lazyChatModel(
      () => fake,
      createCredentialProvider(vault.agent, "production/model/api-key"),
      { registry },
    );
    const agent = createAgent({
      model,
      tools,
      middleware: [vaultRedactionMiddleware({ registry })],
    });
    const { handler: recorder, traffic } = modelTrafficRecorder();

    const result = await agent.invoke(
      { messages: [new HumanMessage("Check the service, then set up the webhook secret.")] },
      { callbacks: [new VaultRedactionHandler({ registry }), recorder] },
    );

    const statuses = toolResults(result.messages).map((entry) => `${entry.name}:${entry.status}`);
    expect(statuses).toEqual([
      "get_secret:declined",
      "call_api_with_secret:completed",
      "set_secret:stored",
      "call_api_with_secret:completed",
      "rotate_secret:rotated",
    ]);
    // The values really were used: the API got them.
    const signing = (await vault.admin.getSecret("production/webhooks/signing")).value;
    const rotated = (await vault.admin.getSecret("production/service/token")).value;
    expect(
      echo.requests.some((request) => request.headers.authorization === `Bearer ${SERVICE_TOKEN}`),
    ).toBe(true);
    expect(echo.requests.some((request) => request.url.includes(signing))).toBe(true);
    expect(rotated).not.toBe(SERVICE_TOKEN);

    expect(traffic.length).toBeGreaterThanOrEqual(8);
    const everything = traffic.join("\n");
    for (const canary of [SERVICE_TOKEN, MODEL_KEY, signing, rotated]) {
      expect(everything).not.toContain(canary);
      expect(JSON.stringify(result.messages)).not.toContain(canary);
    }
    expect(everything).toContain("[REDACTED]");
  });

  it("masks a value the model itself wrote into set_secret in every later model input", async () => {
    const registry = new SecretRegistry();
    const written = "canary-value-written-by-model-1a2b";
    const tools = createVaultTools(vault.agent, { registry, include: ["set_secret"] });
    const model = fakeModel()
      .respondWithTools([
        { name: "set_secret", args: { path: "production/notes/pin", value: written } },
      ])
      .respond(new AIMessage("Stored."));
    const agent = createAgent({
      model,
      tools,
      middleware: [vaultRedactionMiddleware({ registry })],
    });
    const { handler: recorder, traffic } = modelTrafficRecorder();
    const result = await agent.invoke(
      { messages: [new HumanMessage("store it")] },
      { callbacks: [recorder] },
    );

    expect((await vault.admin.getSecret("production/notes/pin")).value).toBe(written);
    // traffic[0] is the first input and traffic[1] the model's own output, which holds it.
    const laterInputs = traffic.slice(2).join("\n");
    expect(laterInputs).not.toContain(written);
    expect(JSON.stringify(result.messages)).not.toContain(written);
  });
});
