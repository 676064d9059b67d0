import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVaultToolset } from "../src/create-vault-toolset.js";
import { SecretRegistry } from "../src/secret-registry.js";
import type { VaultTool } from "../src/vault-tool.js";
import type { VaultToolCallContext } from "../src/vault-tool-context.js";
import type { VaultToolOutcome } from "../src/vault-tool-outcome.js";
import type { AllowedDestination, FetchFunction } from "../src/vault-tools-options.js";
import { startEchoServer } from "./support/echo-server.js";

// call_api_with_secret against a real vault and a loopback upstream: a secret's own
// allowed_destinations narrow the developer's list; a per-call secret is never sent directly;
// destinations that name a broker route go through the vault, which injects the secret, so the
// agent's process never holds it (a use-only token suffices), and per-call approvals are
// reported as pending, then admitted once a person approves that exact call.

const BOUND_PATH = "production/bound/api-key";
const BOUND_KEY = "fixture-bound-key-3d7c51";
const PER_CALL_PATH = "production/guarded/api-key";
const PER_CALL_KEY = "fixture-guarded-key-8a1e04";
const BROKERED_PATH = "production/brokered/api-key";
const BROKERED_KEY = "fixture-brokered-key-c92f6b";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;

beforeAll(async () => {
  echo = await startEchoServer();
  vault = await startVault({
    prefix: "ass-call-api-bindings-",
    server: {
      broker: {
        routes: [
          {
            name: "echo",
            upstream: echo.origin,
            secretPath: BROKERED_PATH,
            header: "Authorization: Bearer {value}",
          },
          {
            name: "echo-per-call",
            upstream: echo.origin,
            secretPath: BROKERED_PATH,
            header: "Authorization: Bearer {value}",
            approval: "per_call",
          },
        ],
      },
    },
  });
  await vault.admin.setSecret(BOUND_PATH, BOUND_KEY, {
    allowedDestinations: [{ origin: echo.origin, pathPrefixes: ["/v1/"] }],
  });
  await vault.admin.setSecret(PER_CALL_PATH, PER_CALL_KEY, { approval: "per_call" });
  await vault.admin.setSecret(BROKERED_PATH, BROKERED_KEY, {
    allowedDestinations: [{ origin: echo.origin, pathPrefixes: ["/v1/"] }],
  });
});

afterAll(async () => {
  await vault?.close();
  await echo?.close();
});

/** The tool with recorded outgoing requests (what left this process, headers and URL). */
function callApi(destinations: AllowedDestination[], options: { maxApprovalWait?: number } = {}) {
  const sent: string[] = [];
  const recordingFetch: FetchFunction = (url, init) => {
    sent.push(`${url} ${JSON.stringify([...new Headers(init.headers).entries()])}`);
    return globalThis.fetch(url, init);
  };
  const registry = new SecretRegistry();
  const tools = createVaultToolset(vault.agent, {
    registry,
    allowedDestinations: destinations,
    fetch: recordingFetch,
    ...options,
  });
  const tool = tools.get("call_api_with_secret") as VaultTool;
  const call = (input: Record<string, unknown>, context: VaultToolCallContext = { runId: "r" }) =>
    tool.execute(context, input) as Promise<VaultToolOutcome>;
  return { call, sent, registry };
}

const received = (path: string) => echo.requests.filter((request) => request.url.startsWith(path));

describe("a secret's own destination binding", () => {
  it("admits a URL inside it and refuses one outside, before the value goes anywhere", async () => {
    const { call, sent } = callApi([{ origin: echo.origin, secretPaths: ["production/*"] }]);
    const inside = await call({ url: `${echo.origin}/v1/items`, secretPath: BOUND_PATH });
    expect(inside).toMatchObject({ status: "completed", httpStatus: 200 });
    expect(received("/v1/items").at(-1)?.headers.authorization).toBe(`Bearer ${BOUND_KEY}`);

    const outside = await call({ url: `${echo.origin}/v2/items`, secretPath: BOUND_PATH });
    expect(outside.status).toBe("not_allowed");
    expect(outside.message).toContain(`binds it to ${echo.origin}/v1/`);
    expect(received("/v2/items")).toEqual([]);
    expect(sent.filter((line) => line.includes("/v2/"))).toEqual([]);
    expect(JSON.stringify(outside)).not.toContain(BOUND_KEY);
  });

  it("never sends a secret whose calls each need an approval directly", async () => {
    const { call } = callApi([{ origin: echo.origin, secretPaths: ["production/*"] }]);
    const outcome = await call({ url: `${echo.origin}/v1/guarded`, secretPath: PER_CALL_PATH });
    expect(outcome.status).toBe("not_allowed");
    expect(outcome.message).toContain("needs a person's approval of that call");
    expect(received("/v1/guarded")).toEqual([]);
  });
});

describe("destinations that go through a broker route", () => {
  it("calls through the vault with a use-only token; the key reaches the upstream, never this process", async () => {
    const token = await vault.agent.requestToken({
      scope: "secrets:use:production/brokered/*",
      ttlSeconds: 600,
    });
    const { call, sent, registry } = callApi([
      { origin: echo.origin, secretPaths: [BROKERED_PATH], broker: "echo" },
    ]);
    const outcome = await call(
      { url: `${echo.origin}/v1/models?limit=2`, secretPath: BROKERED_PATH },
      { runId: "r", vaultToken: token.value },
    );
    expect(outcome).toMatchObject({ status: "completed", httpStatus: 200 });
    const upstream = received("/v1/models").at(-1);
    expect(upstream?.url).toBe("/v1/models?limit=2");
    expect(upstream?.headers.authorization).toBe(`Bearer ${BROKERED_KEY}`);
    // What left this process went to the vault, with the vault token and nothing of the key.
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(`${vault.baseUrl}/broker/echo/v1/models?limit=2`);
    expect(sent[0]).toContain(`["authorization","Bearer ${token.value}"]`);
    expect(sent.join("\n")).not.toContain(BROKERED_KEY);
    expect(JSON.stringify(outcome)).not.toContain(BROKERED_KEY);
    expect(registry.mask(BROKERED_KEY)).toBe(BROKERED_KEY); // never registered: never held
    // The same token cannot read the value it just used.
    await expect(
      vault.agent.getSecret(BROKERED_PATH, { token: token.value }),
    ).rejects.toMatchObject({ name: "AgentVaultPermissionError" });
  });

  it("reports the vault's refusal when the call leaves the secret's binding", async () => {
    const { call } = callApi([
      { origin: echo.origin, secretPaths: [BROKERED_PATH], broker: "echo" },
    ]);
    const before = received("/v2/").length;
    const outcome = await call({ url: `${echo.origin}/v2/other`, secretPath: BROKERED_PATH });
    expect(outcome).toMatchObject({ status: "denied", reason: "DESTINATION_NOT_ALLOWED" });
    expect(received("/v2/").length).toBe(before);
  });

  it("reports a per-call approval as pending, then sends that exact call once approved", async () => {
    const { call } = callApi([
      { origin: echo.origin, secretPaths: [BROKERED_PATH], broker: "echo-per-call" },
    ]);
    const input = {
      url: `${echo.origin}/v1/charges`,
      method: "POST",
      secretPath: BROKERED_PATH,
      body: '{"amount":5}',
    };
    const pending = await call(input);
    expect(pending.status).toBe("pending_approval");
    const approvalId = pending.approvalRequestId as string;
    expect(approvalId).toMatch(/\S/);
    expect(received("/v1/charges")).toEqual([]);

    // A different call is not what the person approved.
    await vault.approve(approvalId);
    const other = await call({ ...input, body: '{"amount":500}' });
    expect(other.status).toBe("pending_approval");
    expect(other.approvalRequestId).not.toBe(approvalId);
    expect(received("/v1/charges")).toEqual([]);

    const done = await call(input);
    expect(done).toMatchObject({ status: "completed", httpStatus: 200 });
    expect(received("/v1/charges")).toHaveLength(1);
    expect(received("/v1/charges")[0]?.body).toBe('{"amount":5}');
    // The approval admitted that call once: sending it again asks a person again.
    const again = await call(input);
    expect(again.status).toBe("pending_approval");
    expect(received("/v1/charges")).toHaveLength(1);
  });
});
