import { FakeVault } from "@agentsecretstore/testkit";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { Command, MemorySaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { describe, expect, it } from "vitest";
import { vaultTools } from "../support/tool-helpers.js";

const CANARY = "canary-value-6f7a8b9c";

function sensitiveVault() {
  const vault = new FakeVault();
  vault.put("production/payments/key", CANARY, "sensitive");
  vault.agentScopes = ["secrets:read:production/catalog/*"];
  vault.needsApproval = (scope) => scope.includes("payments");
  return vault;
}

describe("request_secret_access", () => {
  it("reports approved access with a handle and keeps the token out of the result", async () => {
    const vault = new FakeVault();
    vault.put("production/catalog/key", CANARY);
    const { call } = vaultTools(vault, { revealValues: true });
    const result = await call("request_secret_access", {
      path: "production/catalog/*",
      reason: "read the catalog key",
    });
    expect(result).toMatchObject({
      status: "approved",
      scope: "secrets:read:production/catalog/*",
    });
    expect(result.accessHandle).toMatch(/^access-\d+$/);
    expect(JSON.stringify(result)).not.toContain("ast_tok_");
    const token = [...vault.tokens.keys()][0];
    expect(token).toBeDefined();
    expect(JSON.stringify(result)).not.toContain(String(token));
  });

  it("makes later tool calls use the granted token for the paths it covers", async () => {
    const vault = new FakeVault();
    vault.put("production/catalog/key", CANARY);
    const { call } = vaultTools(vault, { revealValues: true });
    await call("request_secret_access", { path: "production/catalog/*", reason: "read" });
    const token = [...vault.tokens.keys()][0];
    await call("get_secret", { path: "production/catalog/key" });
    expect(vault.calls.at(-1)).toEqual({
      method: "getSecret",
      subject: "production/catalog/key",
      token,
    });
  });

  it("reports pending with the approval request id, then approved once a person approved", async () => {
    const vault = sensitiveVault();
    const { call } = vaultTools(vault, { revealValues: true });
    const pending = await call("request_secret_access", {
      path: "production/payments/*",
      reason: "refund",
    });
    expect(pending).toMatchObject({
      status: "pending_approval",
      approvalRequestId: "approval-token-1",
    });

    const stillPending = await call("check_approval_status", {
      approvalRequestId: "approval-token-1",
    });
    expect(stillPending.status).toBe("pending");

    vault.approve("approval-token-1");
    const approved = await call("check_approval_status", { approvalRequestId: "approval-token-1" });
    expect(approved).toMatchObject({
      status: "approved",
      approvalsReceived: 1,
      requiredApprovals: 1,
    });

    const read = await call("get_secret", { path: "production/payments/key" });
    expect(read).toMatchObject({ status: "ok", value: CANARY });
    expect(vault.calls.filter((entry) => entry.method === "requestToken")).toHaveLength(1);
  });

  it("asks the vault only once when called again for the same access", async () => {
    const vault = sensitiveVault();
    const { call } = vaultTools(vault);
    await call("request_secret_access", { path: "production/payments/*", reason: "refund" });
    await call("request_secret_access", { path: "production/payments/*", reason: "refund" });
    expect(vault.calls.filter((entry) => entry.method === "requestToken")).toHaveLength(1);
  });

  it("keeps the tokens of different threads apart", async () => {
    const vault = new FakeVault();
    const { call } = vaultTools(vault);
    await call(
      "request_secret_access",
      { path: "production/a/*", reason: "x" },
      { configurable: { thread_id: "one" } },
    );
    await call(
      "request_secret_access",
      { path: "production/a/*", reason: "x" },
      { configurable: { thread_id: "two" } },
    );
    expect(vault.calls.filter((entry) => entry.method === "requestToken")).toHaveLength(2);
  });
});

describe("onApprovalPending: interrupt", () => {
  /** An agent whose scripted model calls `toolName` once, then answers `reply`; runs resume. */
  function interruptingAgent(
    tools: ReturnType<typeof vaultTools>["tools"],
    toolCall: { name: string; args: Record<string, unknown> },
    reply: string,
    threadId: string,
  ) {
    const model = fakeModel().respondWithTools([toolCall]).respond(new AIMessage(reply));
    const agent = createAgent({ model, tools, checkpointer: new MemorySaver() });
    return { agent, config: { configurable: { thread_id: threadId } } };
  }
  const refundAccess = {
    name: "request_secret_access",
    args: { path: "production/payments/*", reason: "refund" },
  };
  it("pauses the run with the approval request id and resumes once a person approved", async () => {
    const vault = sensitiveVault();
    const { tools } = vaultTools(vault, { onApprovalPending: "interrupt" });
    const { agent, config } = interruptingAgent(tools, refundAccess, "Access granted.", "refund-1");

    const paused = await agent.invoke({ messages: [new HumanMessage("refund order 7")] }, config);
    expect(paused.__interrupt__?.[0]?.value).toMatchObject({
      type: "vault_approval_pending",
      tool: "request_secret_access",
      approvalRequestId: "approval-token-1",
    });

    vault.approve("approval-token-1");
    const resumed = await agent.invoke(new Command({ resume: { approved: true } }), config);
    const toolMessage = resumed.messages.find((message) => ToolMessage.isInstance(message));
    expect(JSON.parse(String(toolMessage?.content))).toMatchObject({ status: "approved" });
    expect(resumed.messages.at(-1)?.content).toBe("Access granted.");
    expect(vault.calls.filter((entry) => entry.method === "requestToken")).toHaveLength(1);
  });

  it("reports pending instead of pausing again when resumed without an approval", async () => {
    const vault = sensitiveVault();
    const { tools } = vaultTools(vault, { onApprovalPending: "interrupt" });
    const { agent, config } = interruptingAgent(tools, refundAccess, "Still waiting.", "refund-2");
    await agent.invoke({ messages: [new HumanMessage("refund order 8")] }, config);
    const resumed = await agent.invoke(new Command({ resume: "not yet" }), config);
    expect(resumed.__interrupt__ ?? []).toHaveLength(0);
    const toolMessage = resumed.messages.find((message) => ToolMessage.isInstance(message));
    expect(JSON.parse(String(toolMessage?.content))).toMatchObject({ status: "pending_approval" });
  });

  it("pauses a read that waits on approval, and the resumed read returns the value", async () => {
    const vault = sensitiveVault();
    vault.agentScopes = ["secrets:read:production/*"];
    const { tools } = vaultTools(vault, { onApprovalPending: "interrupt", revealValues: true });
    const { agent, config } = interruptingAgent(
      tools,
      { name: "get_secret", args: { path: "production/payments/key" } },
      "done",
      "read-1",
    );
    const paused = await agent.invoke({ messages: [new HumanMessage("read it")] }, config);
    expect(paused.__interrupt__?.[0]?.value).toMatchObject({
      tool: "get_secret",
      approvalRequestId: "approval-path-production/payments/key",
      path: "production/payments/key",
    });
    vault.approve("approval-path-production/payments/key");
    const resumed = await agent.invoke(new Command({ resume: true }), config);
    const toolMessage = resumed.messages.find((message) => ToolMessage.isInstance(message));
    expect(JSON.parse(String(toolMessage?.content))).toMatchObject({ status: "ok", value: CANARY });
  });
});
