import { createCredentialProvider } from "@agentsecretstore/client";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type OpenAIStub, startOpenAIStub } from "../../agent-tools/test/support/openai-stub.js";
import { SecretRegistry } from "../src/index.js";
import { vaultProvider } from "../src/vault-provider.js";

const KEY_V1 = "fixture-openai-key-v1-52ad";
const KEY_V2 = "fixture-openai-key-v2-e07b";
const PATH = "production/openai/api-key";

let vault: RunningVault;
let stub: OpenAIStub;

beforeAll(async () => {
  vault = await startVault();
  stub = await startOpenAIStub([KEY_V1]);
});

afterAll(async () => {
  await stub?.close();
  await vault?.close();
});

beforeEach(async () => {
  await vault.admin.setSecret(PATH, KEY_V1);
  stub.acceptedKeys = new Set([KEY_V1]);
  stub.requests.length = 0;
});

/** The keys the model API received, in order. */
const sentKeys = () =>
  stub.requests.map((request) => request.authorization?.replace("Bearer ", ""));

describe("vaultProvider with @ai-sdk/openai", () => {
  it("reads the key on the first request, not when the provider is made", async () => {
    const registry = new SecretRegistry();
    let reads = 0;
    const credential = createCredentialProvider(vault.agent, PATH);
    const counted = Object.assign(
      async () => {
        reads += 1;
        return credential();
      },
      { refresh: () => credential.refresh() },
    );
    const openai = vaultProvider(createOpenAI, {
      credential: counted,
      registry,
      settings: { baseURL: stub.baseURL },
    });
    const model = openai.chat("gpt-4o-mini");
    expect(reads).toBe(0);
    const { text } = await generateText({ model, prompt: "hello" });
    expect(text).toBe("reply from the stub");
    expect(sentKeys()).toEqual([KEY_V1]);
    expect(registry.has(KEY_V1)).toBe(true);
    // The provider was never given the key itself.
    expect(JSON.stringify(stub.requests.map((request) => request.body))).not.toContain(KEY_V1);
  });

  it("recovers from a rotation: the 401 makes it read the key again and resend once", async () => {
    const openai = vaultProvider(createOpenAI, {
      credential: createCredentialProvider(vault.agent, PATH),
      registry: new SecretRegistry(),
      settings: { baseURL: stub.baseURL },
    });
    const model = openai.chat("gpt-4o-mini");
    await generateText({ model, prompt: "before", maxRetries: 0 });
    await vault.admin.rotateSecret(PATH, KEY_V2);
    stub.acceptedKeys = new Set([KEY_V2]);
    const { text } = await generateText({ model, prompt: "after", maxRetries: 0 });
    expect(text).toBe("reply from the stub");
    expect(sentKeys()).toEqual([KEY_V1, KEY_V1, KEY_V2]);
    // Streaming requests carry the fresh key from then on.
    const streamed = streamText({ model, prompt: "stream", maxRetries: 0 });
    expect(await streamed.text).toBe("reply from the stub");
    expect(sentKeys().at(-1)).toBe(KEY_V2);
  });

  it("puts the key where a provider wants it: x-api-key style headers work the same", async () => {
    const seen: Array<string | null> = [];
    const openai = vaultProvider(createOpenAI, {
      credential: createCredentialProvider(vault.agent, PATH),
      registry: new SecretRegistry(),
      settings: {
        baseURL: stub.baseURL,
        fetch: async (input, init) => {
          seen.push(new Headers(init?.headers).get("authorization"));
          return globalThis.fetch(input, init);
        },
      },
    });
    await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "hi" });
    expect(seen).toEqual([`Bearer ${KEY_V1}`]);
  });

  it("refuses to be made without a credential", () => {
    expect(() => vaultProvider(createOpenAI, {} as never)).toThrow(
      /needs a credential: createCredentialProvider\(vault, path, \{ token \}\) from @agentsecretstore\/client/,
    );
  });
});
