import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { Agent, run } from "@openai/agents";
import { assistantMessage, functionCall, ScriptedModel } from "@openai/agents/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { createVaultToolkit } from "../src/create-vault-tools.js";
import { SecretRegistry } from "../src/index.js";
import { toolOutputs } from "./support/agents.js";

const PAYMENTS_KEY = "fixture-payments-key-58f1d0";
const LEDGER_KEY = "fixture-ledger-key-c29a7e";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;

beforeAll(async () => {
  vault = await startVault();
  echo = await startEchoServer();
  await vault.admin.setSecret("production/payments/key", PAYMENTS_KEY, { tier: "sensitive" });
  await vault.admin.setSecret("production/ledger/key", LEDGER_KEY, { tier: "sensitive" });
});

afterAll(async () => {
  await echo?.close();
  await vault?.close();
});

function refundAgent(secretPath: string, firstTool: "request_secret_access" | "call_api") {
  const toolkit = createVaultToolkit(vault.agent, {
    registry: new SecretRegistry(),
    allowedDestinations: [{ origin: echo.origin, secretPaths: ["production/*"] }],
  });
  const refund = functionCall(
    "call_api_with_secret",
    { url: `${echo.origin}/v1/refunds`, method: "POST", secretPath, body: "{}" },
    { callId: "refund" },
  );
  const script =
    firstTool === "request_secret_access"
      ? [
          [
            functionCall(
              "request_secret_access",
              { path: secretPath, reason: "refund order 42" },
              { callId: "access" },
            ),
          ],
          [refund],
          [assistantMessage("Refunded order 42.")],
        ]
      : [[refund], [assistantMessage("Refunded order 42.")]];
  const agent = new Agent({
    name: "payments",
    instructions: "Refund orders.",
    model: new ScriptedModel(script),
    tools: toolkit.tools,
  });
  return { agent, toolkit };
}

describe("a pending vault approval in the Agents SDK's human in the loop", () => {
  it("interrupts request_secret_access, and resumes once a person approved in the vault", async () => {
    const { agent, toolkit } = refundAgent("production/payments/key", "request_secret_access");
    const context = { runId: "order-42" };
    const paused = await run(agent, "Refund order 42.", { context });
    expect(paused.interruptions).toHaveLength(1);
    const item = paused.interruptions[0];
    if (item === undefined) throw new Error("expected an interruption");
    const approval = toolkit.pendingApproval(item);
    expect(approval).toMatchObject({
      status: "pending_approval",
      scope: "secrets:read:production/payments/key",
    });
    expect(approval?.personAction).toContain(
      `ass approvals approve ${approval?.approvalRequestId}`,
    );

    // A person approves in the vault (what `ass approvals approve` does), then the app resumes.
    await vault.approve(String(approval?.approvalRequestId));
    paused.state.approve(item);
    const resumed = await run(agent, paused.state);
    expect(resumed.interruptions).toHaveLength(0);
    expect(toolOutputs(resumed).map((output) => output.status)).toEqual(["approved", "completed"]);
    expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${PAYMENTS_KEY}`);
    expect(resumed.finalOutput).toBe("Refunded order 42.");
    expect(await toolkit.revokeAccess()).toBe(1);
  });

  it("interrupts an agent-key read of a sensitive secret and resumes with it once approved", async () => {
    const { agent } = refundAgent("production/ledger/key", "call_api");
    const paused = await run(agent, "Refund order 42.");
    const item = paused.interruptions[0];
    if (item === undefined) throw new Error("expected an interruption");
    // Approve the SDK's decision first, without the vault: the call must still not go out.
    paused.state.approve(item);
    const early = await run(agent, paused.state);
    const [stillPending] = toolOutputs(early);
    expect(stillPending?.status).toBe("pending_approval");
    expect(
      echo.requests.some(
        (request) =>
          request.url === "/v1/refunds" && request.headers.authorization === `Bearer ${LEDGER_KEY}`,
      ),
    ).toBe(false);

    // Now a person approves in the vault; a new run reads the secret and makes the call.
    await vault.approve(String(stillPending?.approvalRequestId));
    const { agent: again } = refundAgent("production/ledger/key", "call_api");
    const done = await run(again, "Refund order 42.");
    expect(done.interruptions).toHaveLength(0);
    expect(toolOutputs(done).map((output) => output.status)).toEqual(["completed"]);
    expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${LEDGER_KEY}`);
  });
});
