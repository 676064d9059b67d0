import { AgentVaultAuthError } from "@agentsecretstore/client";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOpenAI } from "../src/create-openai.js";
import { openAIKeyProvider } from "../src/key-provider.js";
import { startOpenAIStub } from "./openai-stub.js";

// createOpenAI({ vault, path, token }) and openAIKeyProvider with a real AgentVault against a
// real vault: the key is read through the client's getSecret with the subagent's token, and a
// rotation in the vault reaches the running client through the provider's 401.

const PATH = "production/openai/api-key";
const FIRST_KEY = `sk-${"c".repeat(32)}`;
const SECOND_KEY = `sk-${"d".repeat(32)}`;
const ask = { model: "stub-model", messages: [{ role: "user" as const, content: "hi" }] };

let vault: RunningVault;
let stub: Awaited<ReturnType<typeof startOpenAIStub>>;

beforeAll(async () => {
  vault = await startVault({ prefix: "ass-openai-key-" });
  stub = await startOpenAIStub(FIRST_KEY);
});

afterAll(async () => {
  await stub?.close();
  await vault?.close();
});

beforeEach(async () => {
  await vault.admin.setSecret(PATH, FIRST_KEY);
  stub.acceptKey(FIRST_KEY);
  stub.requests.length = 0;
});

const readToken = () =>
  vault.agent.requestToken({ scope: "secrets:read:production/openai/*", ttlSeconds: 600 });

describe("the OpenAI key read from a real vault", () => {
  it("reads the key with the given token and follows a rotation after the provider's 401", async () => {
    const openai = createOpenAI({
      vault: vault.agent,
      path: PATH,
      token: (await readToken()).value,
      baseURL: `${stub.origin}/v1`,
      maxRetries: 0,
    });
    await openai.chat.completions.create(ask);

    await vault.admin.rotateSecret(PATH, SECOND_KEY, { gracePeriodSeconds: 0 });
    stub.acceptKey(SECOND_KEY);
    const reply = await openai.chat.completions.create(ask);

    expect(reply.choices[0]?.message.content).toBe("hello from the stub");
    expect(stub.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${FIRST_KEY}`,
      `Bearer ${FIRST_KEY}`,
      `Bearer ${SECOND_KEY}`,
    ]);
  });

  it("reads with the token, not the client's own key: a revoked token's refresh is refused", async () => {
    const token = await readToken();
    const apiKey = openAIKeyProvider({ vault: vault.agent, path: PATH, token: token.value });
    expect(await apiKey()).toBe(FIRST_KEY);
    expect(apiKey.current?.version).toBeGreaterThanOrEqual(1);

    await vault.agent.revokeToken(token);
    const failure = await apiKey.refresh().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AgentVaultAuthError);
    expect(String(failure)).not.toContain(FIRST_KEY);
    expect(apiKey.current).toBeUndefined();
  });
});
