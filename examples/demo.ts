/**
 * The Agent Secret Store demo (`pnpm demo`): an embedded vault in a temporary folder, secrets
 * of each tier, and an orchestrator running three subagents at once: a LangChain agent using
 * the vault tools, a subagent calling the OpenAI API through `createOpenAI` while its key is
 * rotated with a grace period, and a subagent whose critical secret needs two approvals and a
 * delay. It ends with the audit trail and a check that no secret reached any model message.
 * Offline: everything listens on 127.0.0.1.
 *
 *   node --conditions=source --import tsx examples/demo.ts
 */
import {
  AgentVault,
  AgentVaultApprovalPendingError,
  AgentVaultAuthError,
} from "@agentsecretstore/client";
import { VaultAdmin } from "@agentsecretstore/client/admin";
import { Orchestrator } from "@agentsecretstore/client/orchestrator";
import { printAuditTable } from "./lib/audit-table.js";
import { runApprovers } from "./lib/demo/approvers.js";
import { runPayments } from "./lib/demo/payments-agent.js";
import { runResearcher } from "./lib/demo/researcher-agent.js";
import { runWriter } from "./lib/demo/writer-agent.js";
import { startLocalVault } from "./lib/local-vault.js";
import { findLeaks, recordModelTraffic } from "./lib/model-traffic.js";
import {
  blue,
  bold,
  cyan,
  dim,
  fail,
  green,
  magenta,
  ok,
  plan,
  red,
  say,
  startTime,
  step,
  table,
  voice,
  yellow,
} from "./lib/narrate.js";
import { startOpenAIStub } from "./lib/openai-stub.js";
import { startStubApi } from "./lib/stub-api.js";

// Obviously fake values; the leak check searches every model message for each of them.
const SECRETS = {
  "OpenAI key v1": "fake-openai-key-v1-4d2c9e81",
  "OpenAI key v2": "fake-openai-key-v2-b7a05f36",
  "CRM key": "fake-crm-key-0f1e2d3c",
  "database password": "fake-db-password-91ab7e",
  "payments signing key": "fake-payments-signing-key-c3d8a2",
};
const CRITICAL_DELAY_SECONDS = 2;
const OPENAI_PATH = "production/openai/api-key";

plan(6);
console.log(bold("Agent Secret Store demo: secrets for AI agents, offline, in a few seconds"));

step("Start the vault and two stand-in APIs");
await using local = await startLocalVault({ criticalDelaySeconds: CRITICAL_DELAY_SECONDS });
await using openaiStub = await startOpenAIStub({ "key v1": SECRETS["OpenAI key v1"] });
await using crm = await startStubApi({
  keys: { "crm key": SECRETS["CRM key"] },
  route: (request) =>
    request.path === "/v1/contacts" ? { body: { contacts: ["Ada", "Grace"] } } : undefined,
});
ok(`vault ${local.baseUrl}: embedded SQLite in ${dim(local.dataDir)}`);
say(
  dim(
    `critical approvals wait ${CRITICAL_DELAY_SECONDS} s after the second approval here (300 s by default)`,
  ),
);
ok(`OpenAI-compatible API ${openaiStub.baseURL} and a CRM API ${crm.origin}, both checking keys`);

// The orchestrator holds the agent key; the operator and two people hold admin keys.
await using vault = new AgentVault({ agentKey: local.agentKey, baseUrl: local.baseUrl, env: {} });
await using operator = new VaultAdmin({
  adminKey: local.adminKey,
  baseUrl: local.baseUrl,
  env: {},
});

step("Seed secrets of each tier, and two approvers");
const seeds = [
  [OPENAI_PATH, SECRETS["OpenAI key v1"], "standard", "anyone in scope"],
  ["production/crm/api-key", SECRETS["CRM key"], "standard", "anyone in scope"],
  ["production/db/password", SECRETS["database password"], "sensitive", "1 approval"],
  [
    "production/payments/signing-key",
    SECRETS["payments signing key"],
    "critical",
    "2 approvals + delay",
  ],
] as const;
for (const [path, value, tier] of seeds) await vault.setSecret(path, value, { tier });
table(
  ["path", "tier", "a token reads it after"],
  seeds.map(([path, , tier, rule]) => [path, tier, rule]),
);
const alice = await operator.createAdmin({ name: "alice" });
await using aliceAdmin = new VaultAdmin({
  adminKey: alice.apiKey,
  baseUrl: local.baseUrl,
  env: {},
});
// From two admins on, a new admin is a two-person action: alice approves bob's key first.
const bob = await operator.createAdmin({ name: "bob" }).catch(async (error: unknown) => {
  if (!(error instanceof AgentVaultApprovalPendingError) || error.approvalRequestId === null) {
    throw error;
  }
  await aliceAdmin.approve(error.approvalRequestId, { comment: "bob approves payouts with me" });
  return operator.createAdmin({ name: "bob" });
});
await using bobAdmin = new VaultAdmin({ adminKey: bob.apiKey, baseUrl: local.baseUrl, env: {} });
ok(
  "approvers alice and bob have their own admin keys (shown once, never printed; alice approved bob's)",
);

// Ids → names for the audit table.
const names = new Map<string, string>([
  [alice.adminId, "alice"],
  [bob.adminId, "bob"],
]);
for (const admin of await operator.listAdmins()) {
  if (admin.isOperator) names.set(admin.adminId, "operator");
}
for (const agent of await operator.listAgents()) names.set(agent.agentId, "orchestrator");

step("Run the orchestrator: three subagents at once, one token each");
const traffic = recordModelTraffic();
const operatorSays = voice("operator", red);
let paymentsToken = "";
let writerCalls = 0;
{
  await using orchestrator = new Orchestrator(vault, { defaults: { ttlSeconds: 300 } });
  const researcher = await orchestrator.mint("researcher", {
    scopes: ["secrets:read:production/crm/*", "secrets:read:production/openai/*"],
    maxUses: 10,
  });
  const writer = await orchestrator.mint("writer", {
    scope: "secrets:read:production/openai/*",
    maxUses: 5,
  });
  names.set(researcher.tokenId, "researcher");
  names.set(writer.tokenId, "writer");
  say(dim(`researcher: ${researcher.tokenId}, crm/* + openai/*, 10 uses, 300 s`));
  say(dim(`writer:     ${writer.tokenId}, openai/*, 5 uses, 300 s`));
  say(dim("payments:   asks below; its token waits for people"));
  const subagentVault = (token: string) =>
    new AgentVault({ token, baseUrl: local.baseUrl, env: {} });
  await using researcherVault = subagentVault(researcher.value);
  await using writerVault = subagentVault(writer.value);

  const researcherSays = voice("researcher", blue);
  const writerSays = voice("writer", magenta);
  const [answer] = await Promise.all([
    runResearcher({
      vault: researcherVault,
      crmOrigin: crm.origin,
      traffic,
      print: researcherSays,
    }),
    runWriter({
      vault: writerVault,
      openaiStub,
      prompts: [
        "Summarise yesterday's support tickets",
        "Draft the weekly status update",
        "Translate the status update into French",
        "Suggest a title for the status update",
      ],
      print: writerSays,
      beforeCall: async (call) => {
        if (call === 3) {
          const rotation = await vault.rotateSecret(OPENAI_PATH, SECRETS["OpenAI key v2"], {
            gracePeriodSeconds: 60,
          });
          openaiStub.accept("key v2", SECRETS["OpenAI key v2"]);
          const until = rotation.expiresAt?.toISOString().slice(11, 19);
          operatorSays(
            `rotates ${OPENAI_PATH} → v${rotation.newVersion}; v${rotation.oldVersion} stays valid until ${until} (60 s grace)`,
          );
        }
        if (call === 4) {
          openaiStub.retire("key v1");
          operatorSays("the provider retires key v1 (grace over)");
        }
      },
    }).then((calls) => {
      writerCalls = calls;
    }),
    runPayments({ orchestrator, print: voice("payments", green) }).then((token) => {
      paymentsToken = token;
    }),
    runApprovers({
      queue: operator,
      approvers: [
        { name: "alice", admin: aliceAdmin, print: voice("alice", yellow) },
        { name: "bob", admin: bobAdmin, print: voice("bob", yellow) },
      ],
      criticalDelaySeconds: CRITICAL_DELAY_SECONDS,
    }),
  ]);
  researcherSays(`answer: ${answer}`);
  const payments = orchestrator.get("payments");
  if (payments !== undefined) names.set(payments.tokenId, "payments");
  say(dim(`leaving the block revokes ${orchestrator.minted().length} tokens`));
}

step("The run is over: every subagent token is revoked");
let failures = 0;
await using afterRun = new AgentVault({ token: paymentsToken, baseUrl: local.baseUrl, env: {} });
try {
  await afterRun.getSecret("production/payments/signing-key");
  fail("the payments token still works after the run");
  failures += 1;
} catch (error) {
  if (!(error instanceof AgentVaultAuthError)) throw error;
  ok(`the payments token is refused: ${error.name} (${error.status})`);
}
if (writerCalls === 4) ok("the writer made all 4 OpenAI calls across the key rotation");
else {
  fail(`the writer made ${writerCalls} of 4 OpenAI calls`);
  failures += 1;
}

step("Audit trail (hash-chained; never a value)");
await printAuditTable(operator, { names, since: startTime() });
const verification = await operator.verifyAudit();
if (verification.ok) ok(`verifyAudit(): the chain of ${verification.count} events is intact`);
else {
  fail(`verifyAudit(): broken at ${verification.brokenAt} (${verification.reason})`);
  failures += 1;
}

step("Did any secret reach a model?");
const openaiMessages = openaiStub.exchanges.flatMap((exchange) => [
  exchange.requestBody,
  exchange.responseBody,
]);
const credentials = {
  "agent key": local.agentKey,
  "operator admin key": local.adminKey,
  "alice's admin key": alice.apiKey,
  "bob's admin key": bob.apiKey,
  "payments token": paymentsToken,
};
const searched = [...traffic.texts, ...openaiMessages];
const leaks = findLeaks(searched, { ...SECRETS, ...credentials });
say(
  `searched ${traffic.texts.length} LangChain model inputs/outputs and ${openaiMessages.length} OpenAI request/response bodies`,
);
say(
  `for ${Object.keys(SECRETS).length} secret values (seeded and rotated) and ${Object.keys(credentials).length} credentials`,
);
if (leaks.length === 0) ok(bold("no secret in any model message"));
else {
  fail(bold(`found in model messages: ${leaks.join(", ")}`));
  failures += 1;
}

console.log(
  failures === 0
    ? `\n${bold("Done.")} Next: ${cyan("pnpm ass server")} runs a vault that keeps its data; see README.md.`
    : `\n${bold(red(`${failures} check(s) failed.`))}`,
);
if (failures > 0) process.exitCode = 1;
