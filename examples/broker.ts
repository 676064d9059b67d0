/**
 * The credential broker: an agent calls the OpenAI API through the vault with a token that
 * may only *use* the key. The vault removes the token, injects the key and streams the call;
 * the agent process never holds the key. Runs offline: an embedded vault and a local
 * OpenAI-compatible stub that accepts only the real key.
 *
 *   node --conditions=source --import tsx examples/broker.ts
 */
import { AgentVault, AgentVaultPermissionError } from "@agentsecretstore/client";
import { createOpenAI } from "@agentsecretstore/openai";
import { startLocalVault } from "./lib/local-vault.js";
import { bold, cyan, dim, fail, ok, say, step } from "./lib/narrate.js";
import { startOpenAIStub } from "./lib/openai-stub.js";

// An obviously fake key: the stub accepts whatever the example tells it to.
const KEY = "fake-openai-key-broker-5d2e8a";
const PATH = "production/openai/api-key";

await using openaiStub = await startOpenAIStub({ "the provider key": KEY });
await using local = await startLocalVault({
  brokerRoutes: [
    {
      name: "openai",
      upstream: openaiStub.origin,
      secretPath: PATH,
      header: "Authorization: Bearer {value}",
      pathPrefixes: ["/v1/"],
    },
  ],
});
console.log(bold("Agent Secret Store: calling an API through the vault, never holding the key"));
say(dim(`vault ${local.baseUrl}; OpenAI-compatible stub ${openaiStub.origin}`));
let failures = 0;
const check = (passed: boolean, text: string) => {
  if (passed) ok(text);
  else {
    fail(text);
    failures += 1;
  }
};

step("The operator stores the key and mints a use-only token");
await using operator = new AgentVault({
  agentKey: local.adminKey,
  baseUrl: local.baseUrl,
  env: {},
});
await operator.setSecret(PATH, KEY, { description: "OpenAI key, brokered only" });
const token = await operator.requestToken({
  scope: "secrets:use:production/openai/*",
  ttlSeconds: 600,
  description: "broker example agent",
});
ok(`${PATH} stored; the agent gets token ${token.tokenId} scoped secrets:use:production/openai/*`);

step("The agent builds an OpenAI client on the broker route");
await using agentVault = new AgentVault({ token: token.value, baseUrl: local.baseUrl, env: {} });
const openai = createOpenAI({
  vault: agentVault,
  broker: "openai",
  token: token.value,
  maxRetries: 0,
});
say(`baseURL ${cyan(openai.baseURL)}`);
const completion = await openai.chat.completions.create({
  model: "stub-model",
  messages: [{ role: "user", content: "Summarise the release notes" }],
});
say(`the model answered: ${completion.choices[0]?.message.content}`);
const seen = openaiStub.exchanges.map((exchange) => `${exchange.presented} → ${exchange.status}`);
check(seen.join(", ") === "the provider key → 200", `the stub saw: ${seen.join(", ")}`);
check(openai.apiKey === token.value, "the agent's client holds the vault token, not the key");

step("The agent tries to read the key itself");
try {
  await agentVault.getSecret(PATH);
  fail("the agent read the value");
  failures += 1;
} catch (error) {
  check(
    error instanceof AgentVaultPermissionError,
    `reading the value is refused (${(error as Error).name}): use is not read`,
  );
}

await operator.revokeToken(token);
console.log(
  failures === 0
    ? `\n${bold("Done.")} The key reached the provider and never the agent.`
    : `\n${bold(`${failures} check(s) failed.`)}`,
);
if (failures > 0) process.exitCode = 1;
