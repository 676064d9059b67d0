import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { ChatOpenAI } from "@langchain/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenAIStub, startOpenAIStub } from "../../agent-tools/test/support/openai-stub.js";
import { lazyChatModel } from "../src/lazy-chat-model.js";

// lazyChatModel through the vault's credential broker, against a real vault and a local
// OpenAI-compatible stub that accepts only the provider's key: the key reaches the stub, the
// model in this process is built with the vault token alone.

const KEY_PATH = "production/openai/api-key";
const KEY = "canary-openai-key-broker-7e8f9a";

let vault: RunningVault;
let stub: OpenAIStub;

beforeAll(async () => {
  stub = await startOpenAIStub([KEY]);
  vault = await startVault({
    server: {
      broker: {
        routes: [
          {
            name: "openai",
            upstream: stub.baseURL.replace(/\/v1$/, ""),
            secretPath: KEY_PATH,
            header: "Authorization: Bearer {value}",
          },
        ],
      },
    },
  });
  await vault.admin.setSecret(KEY_PATH, KEY);
});

afterAll(async () => {
  await stub?.close();
  await vault?.close();
});

describe("lazyChatModel through a broker route", () => {
  it("builds the model with the vault token and the route's URL; the stub gets the key", async () => {
    const token = await vault.agent.requestToken({
      scope: "secrets:use:production/openai/*",
      ttlSeconds: 600,
    });
    const built: { apiKey: string; baseURL: string | undefined }[] = [];
    const model = lazyChatModel(
      (apiKey, { baseURL }) => {
        built.push({ apiKey, baseURL });
        return new ChatOpenAI({
          apiKey,
          model: "gpt-4o-mini",
          maxRetries: 0,
          configuration: { baseURL },
        });
      },
      { vault: vault.agent, broker: "openai", token: token.value },
      { registry: new SecretRegistry() },
    );
    const reply = await model.invoke("hello");
    expect(reply.content).toBe("reply from the stub");
    expect(built).toEqual([{ apiKey: token.value, baseURL: `${vault.baseUrl}/broker/openai/v1` }]);
    expect(stub.requests.map((request) => request.authorization)).toEqual([`Bearer ${KEY}`]);
    expect(JSON.stringify(built)).not.toContain(KEY);
  });

  it("refuses a route name that cannot be one before anything is called", () => {
    expect(() =>
      lazyChatModel(() => new ChatOpenAI({ apiKey: "x" }), {
        vault: vault.agent,
        broker: "Not A Route",
        token: "t",
      }),
    ).toThrow(/Invalid route: must be a-z, 0-9, - and _/);
  });
});
