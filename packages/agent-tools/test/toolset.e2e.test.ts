import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVaultToolset } from "../src/create-vault-toolset.js";
import { SecretRegistry } from "../src/secret-registry.js";
import type { VaultTool } from "../src/vault-tool.js";
import type { VaultToolCallContext } from "../src/vault-tool-context.js";
import { isErrorOutcome, type VaultToolOutcome } from "../src/vault-tool-outcome.js";
import type { VaultToolName, VaultToolsOptions } from "../src/vault-tools-options.js";
import { startEchoServer } from "./support/echo-server.js";

const SERVICE_KEY = "fixture-service-key-41c9e0";
const PAYMENTS_KEY = "fixture-payments-key-7f2a13";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;

beforeAll(async () => {
  vault = await startVault();
  echo = await startEchoServer();
  await vault.admin.setSecret("production/service/api-key", SERVICE_KEY, {
    description: "Service key",
  });
  await vault.admin.setSecret("production/payments/key", PAYMENTS_KEY, { tier: "sensitive" });
});

afterAll(async () => {
  await echo?.close();
  await vault?.close();
});

/** A toolset on the agent's client, and a call that checks every outcome against its schema. */
function toolset(options: VaultToolsOptions = {}) {
  const registry = new SecretRegistry();
  const made = createVaultToolset(vault.agent, {
    registry,
    allowedDestinations: [{ origin: echo.origin, secretPaths: ["production/*"] }],
    ...options,
  });
  const outcomes: VaultToolOutcome[] = [];
  const call = async (
    name: VaultToolName,
    input: Record<string, unknown>,
    context: VaultToolCallContext = { runId: "run-1" },
  ) => {
    const tool = made.get(name) as VaultTool;
    const outcome = await tool.execute(context, input);
    expect(tool.outputSchema.safeParse(outcome).success, JSON.stringify(outcome)).toBe(true);
    outcomes.push(outcome);
    return outcome;
  };
  return { ...made, registry, call, outcomes };
}

describe("the vault toolset against a real vault", () => {
  it("lists, describes, stores, rotates and calls an API without a value in any outcome", async () => {
    const { call, outcomes, registry } = toolset();
    const listed = await call("list_secrets", { namespace: "production" });
    expect(listed.status).toBe("ok");
    expect(listed.secrets).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "production/service/api-key" })]),
    );
    const described = await call("get_secret_metadata", { path: "production/service/api-key" });
    expect(described).toMatchObject({ status: "ok", version: 1, tier: "standard" });

    const stored = await call("set_secret", {
      path: "production/webhooks/signing",
      generate: { length: 40 },
    });
    expect(stored).toMatchObject({ status: "stored", version: 1, generated: true });
    const generated = (await vault.admin.getSecret("production/webhooks/signing")).value;
    expect(generated).toHaveLength(40);
    expect(registry.has(generated)).toBe(true);

    const rotated = await call("rotate_secret", {
      path: "production/webhooks/signing",
      generate: {},
      gracePeriodSeconds: 60,
    });
    expect(rotated).toMatchObject({ status: "rotated", newVersion: 2, oldVersion: 1 });
    const rotatedValue = (await vault.admin.getSecret("production/webhooks/signing")).value;

    const called = await call("call_api_with_secret", {
      url: `${echo.origin}/v1/items`,
      secretPath: "production/service/api-key",
    });
    expect(called).toMatchObject({ status: "completed", httpStatus: 200 });
    expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
    expect(String(called.body)).toContain("[REDACTED]");

    const declined = await call("get_secret", { path: "production/service/api-key" });
    expect(declined.status).toBe("declined");

    const everything = JSON.stringify(outcomes);
    for (const value of [SERVICE_KEY, generated, rotatedValue, vault.agentKey]) {
      expect(everything).not.toContain(value);
    }
  });

  it("reports a pending approval with what a person must do, then the approved access", async () => {
    const { call, revokeAccess } = toolset();
    const pending = await call("request_secret_access", {
      path: "production/payments/*",
      reason: "refund order 42",
    });
    expect(pending.status).toBe("pending_approval");
    expect(isErrorOutcome(pending)).toBe(true);
    const approvalRequestId = String(pending.approvalRequestId);
    expect(pending.personAction).toContain(`ass approvals approve ${approvalRequestId}`);

    const waiting = await call("check_approval_status", { approvalRequestId });
    expect(waiting.status).toBe("pending");
    await vault.approve(approvalRequestId);
    const decided = await call("check_approval_status", { approvalRequestId });
    expect(decided).toMatchObject({ status: "approved", approvalsReceived: 1 });

    const again = await call("request_secret_access", {
      path: "production/payments/*",
      reason: "refund order 42",
    });
    expect(again).toMatchObject({ status: "approved", accessHandle: "access-1" });
    const used = await call("call_api_with_secret", {
      url: `${echo.origin}/v1/refunds`,
      method: "POST",
      secretPath: "production/payments/key",
      body: "{}",
    });
    expect(used).toMatchObject({ status: "completed", httpStatus: 200 });
    expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${PAYMENTS_KEY}`);
    expect(await revokeAccess()).toBe(1);
  });

  it("waits for a decision when the developer allows waiting and the model asks to", async () => {
    const { call, get } = toolset({ maxApprovalWait: 20_000 });
    expect(get("check_approval_status")?.inputSchema.shape.waitSeconds).toBeDefined();
    const pending = await call("request_secret_access", {
      path: "production/payments/key",
      reason: "a waited approval",
    });
    const approvalRequestId = String(pending.approvalRequestId);
    const decision = call("check_approval_status", { approvalRequestId, waitSeconds: 20 });
    await vault.approve(approvalRequestId);
    await expect(decision).resolves.toMatchObject({ status: "approved" });
    // Without the option, the model is not offered a wait at all.
    expect(toolset().get("check_approval_status")?.inputSchema.shape.waitSeconds).toBeUndefined();
  });

  it("tells before a call whether it would wait on a person, and reads the vault once", async () => {
    const reads: string[] = [];
    const counting = new Proxy(vault.agent, {
      get(target, property, receiver) {
        const member = Reflect.get(target, property, receiver);
        if (property !== "getSecret" || typeof member !== "function") return member;
        return (path: string, options: unknown) => {
          reads.push(path);
          return member.call(target, path, options);
        };
      },
    });
    const made = createVaultToolset(counting, {
      registry: new SecretRegistry(),
      revealValues: true,
    });
    const getSecret = made.get("get_secret") as VaultTool;
    const input = { path: "production/payments/key" };
    const context = { runId: "check-run" };
    const pending = await getSecret.approvalCheck?.(context, input);
    expect(pending).toMatchObject({ status: "pending_approval", path: "production/payments/key" });
    await vault.approve(String(pending?.approvalRequestId));
    expect(await getSecret.approvalCheck?.(context, input)).toBeUndefined();
    const outcome = await getSecret.execute(context, input);
    expect(outcome).toMatchObject({ status: "ok", value: PAYMENTS_KEY });
    // One read found it pending, one read got the value; the call itself did not read again.
    expect(reads).toEqual(["production/payments/key", "production/payments/key"]);
    expect(made.get("list_secrets")?.approvalCheck).toBeUndefined();
  });

  it("keeps a run's access to that run", async () => {
    const { call } = toolset();
    await call("request_secret_access", { path: "production/service/*", reason: "sync" });
    const otherRun = await call(
      "request_secret_access",
      { path: "production/service/*", reason: "sync" },
      { runId: "run-2" },
    );
    // A second token was asked for: the first run's grant is not visible to the second.
    expect(otherRun).toMatchObject({ status: "approved", accessHandle: "access-2" });
  });

  it("returns a value from get_secret only when the developer turned revealValues on", async () => {
    const { call, get, registry } = toolset({ revealValues: true });
    expect(get("get_secret")?.revealsValues).toBe(true);
    const revealed = await call("get_secret", { path: "production/service/api-key" });
    expect(revealed).toMatchObject({ status: "ok", value: SERVICE_KEY });
    // Readable to the model, still masked everywhere else.
    expect(registry.mask(SERVICE_KEY, { forModel: true })).toBe(SERVICE_KEY);
    expect(registry.mask(SERVICE_KEY)).toBe("[REDACTED]");
  });

  it("answers not_found and denied as outcomes the model can act on", async () => {
    const { call } = toolset();
    const missing = await call("get_secret_metadata", { path: "production/missing" });
    expect(missing).toMatchObject({ status: "not_found", path: "production/missing" });
    const refused = await call("call_api_with_secret", {
      url: "https://elsewhere.example/v1",
      secretPath: "production/service/api-key",
    });
    expect(refused.status).toBe("not_allowed");
    expect(String(refused.message)).toContain(echo.origin);
  });

  it("uses the credential from the call's context, not the bound client's", async () => {
    const token = await vault.agent.requestToken({
      scope: "secrets:read:staging/*",
      ttlSeconds: 60,
    });
    const { call } = toolset();
    const denied = await call(
      "get_secret_metadata",
      { path: "production/service/api-key" },
      { vaultToken: token.value },
    );
    expect(denied).toMatchObject({ status: "denied", reason: "SCOPE_DENIED" });
    expect(JSON.stringify(denied)).not.toContain(token.value);
  });
});
