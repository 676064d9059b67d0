/**
 * Quick start: set, get, list and rotate secrets, and hand a subagent a scoped token,
 * against a vault server started here on a free loopback port.
 *
 *   node --conditions=source --import tsx examples/quickstart.ts
 */
import {
  AgentVault,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
} from "@agentsecretstore/client";
import { startLocalVault } from "./lib/local-vault.js";
import { bold, cyan, dim, ok, say, step } from "./lib/narrate.js";

await using local = await startLocalVault();
console.log(bold("Agent Secret Store: quick start"));
say(dim(`vault server on ${local.baseUrl} (embedded SQLite in a temporary folder)`));

await using vault = new AgentVault({ agentKey: local.agentKey, baseUrl: local.baseUrl });

step("Store secrets");
await vault.setSecret("production/openai/api-key", "demo-openai-key-v1", {
  description: "OpenAI key for the inference agents",
  tags: { team: "ml" },
});
await vault.setSecret("production/stripe/api-key", "demo-stripe-key-v1", { tier: "standard" });
await vault.setSecret("staging/feature-flag", "true");
ok("3 secrets stored, each encrypted at rest under its own data key");

step("Read one back");
const secret = await vault.getSecret("production/openai/api-key");
say(`printing the object never shows the value: ${cyan(String(secret))}`);
ok(`secret.value has ${secret.value.length} characters, version ${secret.version}`);

step("List a namespace (metadata only, every page)");
for await (const item of vault.listSecrets("production")) {
  say(`${item.path}  v${item.version}  [${item.tier}]`);
}

step("Give a subagent a scoped token instead of the agent key");
const token = await vault.requestToken({
  scope: "secrets:read:production/openai/*",
  ttlSeconds: 300,
  maxUses: 5,
  description: "quick start subagent",
});
say(
  `token ${token.tokenId}: ${token.scope}, ${token.usesRemaining} uses, expires ${token.expiresAt?.toISOString()}`,
);
await using subagent = new AgentVault({ token: token.value, baseUrl: local.baseUrl });
const forSubagent = await subagent.getSecret("production/openai/api-key");
ok(`the subagent read production/openai/api-key v${forSubagent.version}`);
try {
  await subagent.getSecret("production/stripe/api-key");
} catch (error) {
  if (!(error instanceof AgentVaultPermissionError)) throw error;
  ok(`outside its scope it is refused: needs ${error.requiredScope}`);
}

step("Rotate with a grace period");
const rotation = await vault.rotateSecret("production/openai/api-key", "demo-openai-key-v2", {
  gracePeriodSeconds: 300,
});
say(
  `now version ${rotation.newVersion}; version ${rotation.oldVersion} readable until ${rotation.expiresAt?.toISOString()}`,
);
const previous = await vault.getSecret("production/openai/api-key", {
  version: rotation.oldVersion ?? 1,
});
ok(`old version still readable during the grace period (v${previous.version})`);

step("Clean up");
await vault.revokeToken(token);
try {
  await subagent.getSecret("production/openai/api-key");
} catch (error) {
  ok(`revoked token refused (${(error as Error).name})`);
}
await vault.deleteSecret("staging/feature-flag");
try {
  await vault.getSecret("staging/feature-flag");
} catch (error) {
  if (!(error instanceof AgentVaultNotFoundError)) throw error;
  ok("deleted secret answers 404");
}
console.log(
  `\n${bold("Done.")} Next: ${cyan("pnpm ass server")} runs a vault that keeps its data.`,
);
