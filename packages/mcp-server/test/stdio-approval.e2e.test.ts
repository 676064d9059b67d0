import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { approveWhileWaiting } from "./support/approve-while-waiting.js";
import { type ConnectedClient, connectStdio, structured } from "./support/mcp-client.js";

const PAYMENTS_KEY = "fixture-payments-key-41f2e3d4";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;
let mcp: ConnectedClient & { stderr(): string };

beforeAll(async () => {
  [vault, echo] = await Promise.all([startVault(), startEchoServer()]);
  await vault.admin.setSecret("production/payments/api-key", PAYMENTS_KEY, { tier: "sensitive" });
  await vault.admin.setSecret("production/payments/webhook", "fixture-payments-webhook-5e6f", {
    tier: "sensitive",
  });
  mcp = await connectStdio(
    {
      ASS_BASE_URL: vault.baseUrl,
      ASS_AGENT_KEY: vault.agentKey,
      ASS_MCP_DESTINATIONS: JSON.stringify([
        { origin: echo.origin, secretPaths: ["production/payments/*"] },
      ]),
    },
    ["--progress-interval", "0.2"],
  );
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await echo?.close();
  await vault?.close();
});

async function requestPending(path: string): Promise<string> {
  const outcome = structured(
    await mcp.call("request_secret_access", { path, reason: "charge the customer" }),
  );
  expect(outcome.status).toBe("pending_approval");
  expect(typeof outcome.personAction).toBe("string");
  return outcome.approvalRequestId as string;
}

it("waits for an approval an admin gives through the vault's API, with progress, then uses it", async () => {
  const approvalRequestId = await requestPending("production/payments/api-key");
  const { outcome, progress } = await approveWhileWaiting(mcp, vault, approvalRequestId);
  expect(outcome).toMatchObject({ status: "approved", approvalRequestId });
  expect(progress.length).toBeGreaterThan(0);
  expect(progress[0]).toContain(approvalRequestId);

  // The approved access is used by the other tools, without the model ever holding it.
  const call = structured(
    await mcp.call("call_api_with_secret", {
      url: `${echo.origin}/charge`,
      method: "POST",
      secretPath: "production/payments/api-key",
    }),
  );
  expect(call).toMatchObject({ status: "completed", httpStatus: 200 });
  expect(echo.requests.at(-1)?.headers.authorization).toBe(`Bearer ${PAYMENTS_KEY}`);
  expect(JSON.stringify(mcp.received)).not.toContain(PAYMENTS_KEY);
}, 60_000);

it("stops waiting when the client cancels, and keeps serving", async () => {
  const approvalRequestId = await requestPending("production/payments/webhook");
  const controller = new AbortController();
  const waiting = mcp.call(
    "check_approval_status",
    { approvalRequestId, waitSeconds: 300 },
    { signal: controller.signal, onProgress: () => controller.abort() },
  );
  await expect(waiting).rejects.toThrow(/abort/i);
  await expect
    .poll(() => mcp.stderr(), { timeout: 10_000 })
    .toContain("tools/call check_approval_status cancelled by the client");
  // Still pending (nobody decided), and the server answers the next call.
  const again = structured(await mcp.call("check_approval_status", { approvalRequestId }));
  expect(again.status).toBe("pending");
}, 60_000);
