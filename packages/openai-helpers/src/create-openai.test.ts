import { AuthenticationError } from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOpenAIStub } from "../test/openai-stub.js";
import { createAzureOpenAI, createOpenAI } from "./create-openai.js";

const FIRST_KEY = "fake-openai-key-one";
const SECOND_KEY = "fake-openai-key-two";

/** An in-memory vault: one secret whose value a test can rotate; counts the reads. */
function memoryVault(initial: string) {
  const state = { value: initial, version: 1, reads: 0, tokens: [] as (string | undefined)[] };
  return {
    state,
    rotate(value: string) {
      state.value = value;
      state.version += 1;
    },
    async getSecret(_path: string, readOptions?: { token?: string }) {
      state.reads += 1;
      state.tokens.push(readOptions?.token);
      return { value: state.value, version: state.version, expiresAt: null };
    },
  };
}

let stub: Awaited<ReturnType<typeof startOpenAIStub>>;

beforeEach(async () => {
  stub = await startOpenAIStub(FIRST_KEY);
});

afterEach(async () => {
  await stub.close();
});

const ask = { model: "stub-model", messages: [{ role: "user" as const, content: "hi" }] };

describe("createOpenAI", () => {
  it("reads the key lazily on the first request, with the given token, and caches it", async () => {
    const vault = memoryVault(FIRST_KEY);
    const openai = createOpenAI({
      vault,
      path: "production/openai/api-key",
      token: "ast_tok_fake",
      baseURL: `${stub.origin}/v1`,
    });
    expect(vault.state.reads).toBe(0);

    const first = await openai.chat.completions.create(ask);
    await openai.chat.completions.create(ask);

    expect(first.choices[0]?.message.content).toBe("hello from the stub");
    expect(vault.state.reads).toBe(1);
    expect(vault.state.tokens).toEqual(["ast_tok_fake"]);
    expect(stub.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${FIRST_KEY}`,
      `Bearer ${FIRST_KEY}`,
    ]);
  });

  it("after a rotation, a 401 makes it read the key again and resend the request once", async () => {
    const vault = memoryVault(FIRST_KEY);
    const openai = createOpenAI({
      vault,
      path: "p/openai",
      baseURL: `${stub.origin}/v1`,
      maxRetries: 0,
    });
    await openai.chat.completions.create(ask);

    vault.rotate(SECOND_KEY);
    stub.acceptKey(SECOND_KEY);
    const reply = await openai.chat.completions.create(ask);

    expect(reply.choices[0]?.message.content).toBe("hello from the stub");
    expect(stub.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${FIRST_KEY}`,
      `Bearer ${FIRST_KEY}`,
      `Bearer ${SECOND_KEY}`,
    ]);
    await openai.chat.completions.create(ask);
    expect(stub.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECOND_KEY}`);
  });

  it("surfaces the 401 as openai's AuthenticationError when the fresh key is the same", async () => {
    const vault = memoryVault("fake-key-the-provider-rejects");
    const openai = createOpenAI({
      vault,
      path: "p/openai",
      baseURL: `${stub.origin}/v1`,
      maxRetries: 0,
    });
    const failure = await openai.chat.completions.create(ask).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthenticationError);
    expect(String(failure)).not.toContain("fake-key-the-provider-rejects");
    expect(stub.requests).toHaveLength(1);
  });
});

describe("createAzureOpenAI", () => {
  it("sends the vault key in Azure's api-key header, never as a bearer token", async () => {
    const vault = memoryVault(FIRST_KEY);
    const azure = createAzureOpenAI({
      vault,
      path: "p/azure",
      endpoint: stub.origin,
      apiVersion: "2024-10-21",
      deployment: "stub-deployment",
    });
    const reply = await azure.chat.completions.create(ask);
    expect(reply.choices[0]?.message.content).toBe("hello from the stub");
    const [request] = stub.requests;
    expect(request?.headers["api-key"]).toBe(FIRST_KEY);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.url).toContain("/openai/deployments/stub-deployment/chat/completions");
  });
});
