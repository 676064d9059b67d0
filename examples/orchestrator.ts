/**
 * An orchestrator hands each subagent its own scoped, short-lived token instead of its agent
 * key. Three subagents run concurrently; one needs a sensitive secret, so its token waits for
 * a person's approval, which an admin gives meanwhile. Leaving the `await using` block revokes
 * every token.
 *
 *   node --conditions=source --import tsx examples/orchestrator.ts
 */
import {
  AgentVault,
  AgentVaultAuthError,
  AgentVaultPermissionError,
} from "@agentsecretstore/client";
import { VaultAdmin } from "@agentsecretstore/client/admin";
import { type MintOptions, Orchestrator } from "@agentsecretstore/client/orchestrator";
import { startLocalVault } from "./lib/local-vault.js";
import {
  blue,
  bold,
  dim,
  fail,
  green,
  magenta,
  ok,
  say,
  step,
  voice,
  yellow,
} from "./lib/narrate.js";

await using local = await startLocalVault();
console.log(bold("Agent Secret Store: one scoped token per subagent"));
say(dim(`vault server on ${local.baseUrl}`));

// The orchestrator holds the agent key; the admin key belongs to a person who approves.
await using vault = new AgentVault({ agentKey: local.agentKey, baseUrl: local.baseUrl, env: {} });
await using admin = new VaultAdmin({ adminKey: local.adminKey, baseUrl: local.baseUrl, env: {} });

step("Seed secrets");
await vault.setSecret("production/openai/api-key", "fake-openai-key-3e9a1c");
await vault.setSecret("production/crm/api-key", "fake-crm-key-5b7d2f");
await vault.setSecret("production/db/password", "fake-db-password-8c4e6a", {
  tier: "sensitive",
  description: "Primary database password: a person approves each reader",
});
ok(
  "production/openai/api-key and production/crm/api-key (standard), production/db/password (sensitive)",
);

/** What a subagent does with its own client, which holds nothing but its token. */
type Work = (subagentVault: AgentVault, print: (text: string) => void) => Promise<void>;

let migratorToken: string | undefined;
let failures = 0;

step("Run three subagents concurrently, each with its own token");
{
  await using orchestrator = new Orchestrator(vault, { defaults: { ttlSeconds: 300 } });

  const runSubagent = async (
    name: string,
    color: (text: string) => string,
    options: MintOptions,
    work: Work,
  ) => {
    const print = voice(name, color);
    const waits = options.waitForApproval !== undefined && options.waitForApproval !== false;
    print(`asks for ${options.scope}${waits ? " (needs approval: waits for a person)" : ""}`);
    const minted = await orchestrator.mint(name, options);
    print(`got token ${minted.tokenId} (${minted.token.usesRemaining ?? "unlimited"} uses)`);
    await using subagentVault = new AgentVault({
      token: minted.value,
      baseUrl: minted.env.ASS_BASE_URL,
      env: {},
    });
    await work(subagentVault, print);
    if (name === "migrator") migratorToken = minted.value;
  };

  const approver = async () => {
    const print = voice("approver", yellow);
    for (;;) {
      const [pending] = await admin.listApprovals({ status: "pending" });
      if (pending !== undefined) {
        print(`sees ${pending.id}: ${pending.tier} tier, ${pending.scopes.join(", ")}`);
        const decided = await admin.approve(pending.id, { comment: "scheduled migration" });
        print(`approves it → ${decided.status}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  await Promise.all([
    runSubagent(
      "summariser",
      blue,
      { scope: "secrets:read:production/openai/*", maxUses: 3 },
      async (subagentVault, print) => {
        const key = await subagentVault.getSecret("production/openai/api-key");
        print(`read production/openai/api-key v${key.version} (value not shown)`);
      },
    ),
    runSubagent(
      "crm-sync",
      magenta,
      { scope: "secrets:read:production/crm/*", maxUses: 3 },
      async (subagentVault, print) => {
        const key = await subagentVault.getSecret("production/crm/api-key");
        print(`read production/crm/api-key v${key.version}`);
        try {
          await subagentVault.getSecret("production/openai/api-key");
          print("read production/openai/api-key: outside its scope, this should not happen");
          failures += 1;
        } catch (error) {
          if (!(error instanceof AgentVaultPermissionError)) throw error;
          print(`refused production/openai/api-key: needs ${error.requiredScope}`);
        }
      },
    ),
    runSubagent(
      "migrator",
      green,
      { scope: "secrets:read:production/db/*", maxUses: 2, waitForApproval: { timeout: 30_000 } },
      async (subagentVault, print) => {
        const password = await subagentVault.getSecret("production/db/password");
        print(`approved: read production/db/password v${password.version} (${password.tier})`);
      },
    ),
    approver(),
  ]);
  say(
    dim(
      `live tokens: ${orchestrator
        .minted()
        .map((minted) => minted.name)
        .join(", ")}`,
    ),
  );
}
ok("the `await using` block ended: the orchestrator revoked every token it minted");

step("A revoked token is refused");
await using late = new AgentVault({ token: migratorToken, baseUrl: local.baseUrl, env: {} });
try {
  await late.getSecret("production/db/password");
  fail("the migrator's token still reads after the run");
  failures += 1;
} catch (error) {
  if (!(error instanceof AgentVaultAuthError)) throw error;
  ok(`the migrator's token after the run: ${error.name} (${error.status})`);
}

console.log(failures === 0 ? `\n${bold("Done.")}` : `\n${bold(`${failures} check(s) failed.`)}`);
if (failures > 0) process.exitCode = 1;
