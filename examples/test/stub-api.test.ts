import { afterEach, describe, expect, it } from "vitest";
import { type OpenAIStub, startOpenAIStub } from "../lib/openai-stub.js";

let stub: OpenAIStub | undefined;
afterEach(async () => {
  await stub?.close();
});

const chat = (key: string) =>
  fetch(`${stub?.baseURL}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "stub-model",
      messages: [{ role: "user", content: "hi there" }],
    }),
  });

describe("the OpenAI stub", () => {
  it("answers a chat completion only with an accepted bearer key", async () => {
    stub = await startOpenAIStub({ "key v1": "fake-key-one" });
    const accepted = await chat("fake-key-one");
    const refused = await chat("fake-key-other");

    expect(accepted.status).toBe(200);
    const body = (await accepted.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("(stub) 2-word answer.");
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      "invalid_api_key",
    );
  });

  it("follows a rotation at the provider and records key labels, never keys", async () => {
    stub = await startOpenAIStub({ "key v1": "fake-key-one" });
    stub.accept("key v2", "fake-key-two");
    stub.retire("key v1");
    await chat("fake-key-one");
    await chat("fake-key-two");

    expect(stub.exchanges.map(({ presented, status }) => `${presented} ${status}`)).toEqual([
      "key v1 401",
      "key v2 200",
    ]);
    expect(JSON.stringify(stub.exchanges)).not.toContain("fake-key-");
  });
});
