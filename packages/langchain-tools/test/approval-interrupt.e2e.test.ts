import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { Command, MemorySaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVaultTools } from "../src/create-vault-tools.js";
import { vaultRedactionMiddleware } from "../src/vault-redaction-middleware.js";
import { toolResults } from "./support/agent-helpers.js";

const PAYMENTS_KEY = "canary-value-payments-7e8f9a";

let vault: RunningVault;

beforeAll(async () => {
  vault = await startVault();
  await vault.admin.setSecret("production/payments/key", PAYMENTS_KEY, { tier: "sensitive" });
});

afterAll(async () => {
  await vault?.close();
});

describe("approval-pending as a LangGraph interrupt, against a real vault", () => {
  it("pauses on pending access, and resumes with approved access once a person approved", async () => {
    const registry = new SecretRegistry();
    const tools = createVaultTools(vault.agent, {
      registry,
      onApprovalPending: "interrupt",
      revealValues: true,
    });
    const model = fakeModel()
      .respondWithTools([
        {
          name: "request_secret_access",
          args: { path: "production/payments/*", reason: "refund order 42" },
        },
      ])
      .respondWithTools([{ name: "get_secret", args: { path: "production/payments/key" } }])
      .respond(new AIMessage("Refund issued."));
    const agent = createAgent({
      model,
      tools,
      checkpointer: new MemorySaver(),
      middleware: [vaultRedactionMiddleware({ registry })],
    });
    const config = { configurable: { thread_id: "refund-42" } };

    const paused = await agent.invoke({ messages: [new HumanMessage("Refund order 42.")] }, config);
    const request = paused.__interrupt__?.[0]?.value as { approvalRequestId: string; type: string };
    expect(request).toMatchObject({
      type: "vault_approval_pending",
      tool: "request_secret_access",
      scope: "secrets:read:production/payments/*",
    });

    await vault.approve(request.approvalRequestId);
    const resumed = await agent.invoke(new Command({ resume: { approved: true } }), config);

    expect(resumed.__interrupt__ ?? []).toHaveLength(0);
    const results = toolResults(resumed.messages);
    expect(results[0]).toMatchObject({ name: "request_secret_access", status: "approved" });
    // The token asked for before the pause, now approved, reads the sensitive secret.
    expect(results[1]).toMatchObject({ name: "get_secret", status: "ok", value: PAYMENTS_KEY });
    expect(resumed.messages.at(-1)?.content).toBe("Refund issued.");
  });

  it("pauses an agent-key read of a sensitive secret and resumes with the value once approved", async () => {
    const registry = new SecretRegistry();
    const tools = createVaultTools(vault.agent, {
      registry,
      onApprovalPending: "interrupt",
      revealValues: true,
      include: ["get_secret"],
    });
    const model = fakeModel()
      .respondWithTools([{ name: "get_secret", args: { path: "production/payments/key" } }])
      .respond(new AIMessage("Got it."));
    const agent = createAgent({ model, tools, checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "read-payments" } };

    const paused = await agent.invoke({ messages: [new HumanMessage("Read the key.")] }, config);
    const request = paused.__interrupt__?.[0]?.value as { approvalRequestId: string };
    expect(request).toMatchObject({ tool: "get_secret", path: "production/payments/key" });

    await vault.approve(request.approvalRequestId);
    const resumed = await agent.invoke(new Command({ resume: true }), config);
    expect(toolResults(resumed.messages)[0]).toMatchObject({ status: "ok", value: PAYMENTS_KEY });
  });
});
