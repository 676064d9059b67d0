/**
 * An OpenAI client whose key lives in the vault: read on the first request with a scoped
 * token, cached, and after a rotation (the API answers 401) read again and the request sent
 * once more. Runs offline against a local OpenAI-compatible stub that checks the
 * `Authorization` header.
 *
 *   node --conditions=source --import tsx examples/openai-client.ts
 */
import { AgentVault } from "@agentsecretstore/client";
import { createOpenAI } from "@agentsecretstore/openai";
import { startLocalVault } from "./lib/local-vault.js";
import { bold, cyan, dim, fail, ok, say, step } from "./lib/narrate.js";
import { startOpenAIStub } from "./lib/openai-stub.js";

// Obviously fake keys: the stub accepts whatever the example tells it to.
const FIRST_KEY = "fake-openai-key-v1-7c1d0e";
const SECOND_KEY = "fake-openai-key-v2-a94b2f";
const PATH = "production/openai/api-key";

await using local = await startLocalVault();
await using openaiStub = await startOpenAIStub({ "key v1": FIRST_KEY });
console.log(bold("Agent Secret Store: an OpenAI client whose key lives in the vault"));
say(dim(`vault ${local.baseUrl}; OpenAI-compatible stub ${openaiStub.baseURL}`));

// Counts the vault reads this client makes, to show the cache at work.
let vaultReads = 0;
await using vault = new AgentVault({
  agentKey: local.agentKey,
  baseUrl: local.baseUrl,
  env: {},
  fetch: (url, init) => {
    if ((init.method ?? "GET") === "GET" && url.includes("/secrets/")) vaultReads += 1;
    return fetch(url, init);
  },
});
let failures = 0;
const check = (passed: boolean, text: string) => {
  if (passed) ok(text);
  else {
    fail(text);
    failures += 1;
  }
};

step("Store the key and mint a scoped token for the caller");
await vault.setSecret(PATH, FIRST_KEY, { description: "OpenAI key", tags: { team: "ml" } });
const token = await vault.requestToken({
  scope: "secrets:read:production/openai/*",
  ttlSeconds: 600,
  maxUses: 10,
  description: "openai-client example",
});
ok(`${PATH} stored; token ${token.tokenId} may read production/openai/* 10 times`);

step("Build the client: nothing is read yet");
const openai = createOpenAI({
  vault,
  path: PATH,
  token: token.value,
  baseURL: openaiStub.baseURL,
  maxRetries: 0,
});
check(
  vaultReads === 0,
  `createOpenAI() returned a real OpenAI client; vault reads so far: ${vaultReads}`,
);

step("Two chat completions");
for (const question of ["Summarise the release notes", "Draft a reply to the customer"]) {
  const completion = await openai.chat.completions.create({
    model: "stub-model",
    messages: [{ role: "user", content: question }],
  });
  say(`${cyan(question)} → ${completion.choices[0]?.message.content}`);
}
const seen = openaiStub.exchanges.map((exchange) => `${exchange.presented} → ${exchange.status}`);
say(`the stub saw: ${seen.join(", ")}`);
check(vaultReads === 1, `the key was read from the vault once and cached (reads: ${vaultReads})`);

step("Rotate the key in the vault and at the provider");
const rotation = await vault.rotateSecret(PATH, SECOND_KEY);
openaiStub.accept("key v2", SECOND_KEY);
openaiStub.retire("key v1");
ok(`vault: ${PATH} is now v${rotation.newVersion}; the provider accepts only key v2`);

step("The next call: 401, one re-read of the vault, sent again");
const before = openaiStub.exchanges.length;
const completion = await openai.chat.completions.create({
  model: "stub-model",
  messages: [{ role: "user", content: "Are we still connected after the rotation?" }],
});
const retried = openaiStub.exchanges
  .slice(before)
  .map((exchange) => `${exchange.presented} → ${exchange.status}`);
say(`the stub saw: ${retried.join(", ")}`);
check(
  retried.join(", ") === "key v1 → 401, key v2 → 200",
  `the call succeeded with the rotated key: ${completion.choices[0]?.message.content}`,
);
check(vaultReads === 2, `one extra vault read for the whole rotation (reads: ${vaultReads})`);

await vault.revokeToken(token);
console.log(
  failures === 0
    ? `\n${bold("Done.")} The key never appeared in the client's options, logs or errors.`
    : `\n${bold(`${failures} check(s) failed.`)}`,
);
if (failures > 0) process.exitCode = 1;
