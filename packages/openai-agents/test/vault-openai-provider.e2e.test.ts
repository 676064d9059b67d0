import { createCredentialProvider } from "@agentsecretstore/client";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { Agent, Runner } from "@openai/agents";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenAIStub, startOpenAIStub } from "../../agent-tools/test/support/openai-stub.js";
import { SecretRegistry } from "../src/index.js";
import { vaultOpenAIProvider } from "../src/vault-openai-provider.js";
import "./support/agents.js";

const KEY_V1 = "fixture-agents-key-v1-7d20";
const KEY_V2 = "fixture-agents-key-v2-1ac9";
const PATH = "production/openai/api-key";

let vault: RunningVault;
let stub: OpenAIStub;

beforeAll(async () => {
  vault = await startVault();
  stub = await startOpenAIStub([KEY_V1]);
  await vault.admin.setSecret(PATH, KEY_V1);
});

afterAll(async () => {
  await stub?.close();
  await vault?.close();
});

describe("vaultOpenAIProvider", () => {
  it("runs an agent with the model key from the vault, and recovers from a rotation after a 401", async () => {
    const registry = new SecretRegistry();
    const modelProvider = vaultOpenAIProvider(OpenAI, {
      credential: createCredentialProvider(vault.agent, PATH),
      registry,
      clientOptions: { baseURL: stub.baseURL, maxRetries: 0 },
      providerOptions: { useResponses: false },
    });
    const runner = new Runner({ modelProvider, tracingDisabled: true });
    const agent = new Agent({ name: "writer", instructions: "Answer.", model: "gpt-4o-mini" });

    expect(stub.requests).toHaveLength(0);
    const first = await runner.run(agent, "hello");
    expect(first.finalOutput).toBe("reply from the stub");
    expect(registry.has(KEY_V1)).toBe(true);

    await vault.admin.rotateSecret(PATH, KEY_V2);
    stub.acceptedKeys = new Set([KEY_V2]);
    const second = await runner.run(agent, "after the rotation");
    expect(second.finalOutput).toBe("reply from the stub");
    expect(stub.requests.map((request) => request.authorization)).toEqual([
      `Bearer ${KEY_V1}`,
      `Bearer ${KEY_V1}`,
      `Bearer ${KEY_V2}`,
    ]);
    expect(JSON.stringify(stub.requests.map((request) => request.body))).not.toContain(KEY_V1);
  });

  it("refuses to be made without a credential", () => {
    expect(() => vaultOpenAIProvider(OpenAI, {} as never)).toThrow(
      /needs a credential: createCredentialProvider\(vault, path, \{ token \}\) from @agentsecretstore\/client/,
    );
  });
});
