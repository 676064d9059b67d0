import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { approveWhileWaiting } from "./support/approve-while-waiting.js";
import { askForValuesWithEveryTool, CANARIES, findLeak, seedCanaries } from "./support/canary.js";
import { CALLER_A_TOKEN, type HttpMcp, startHttpMcp } from "./support/http-mcp.js";
import { connectHttp, structured } from "./support/mcp-client.js";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;
let mcp: HttpMcp;

beforeAll(async () => {
  [vault, echo] = await Promise.all([startVault(), startEchoServer()]);
  await seedCanaries(vault);
  mcp = await startHttpMcp(vault, { destinations: [{ origin: echo.origin }] });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await echo?.close();
  await vault?.close();
});

it("waits over HTTP for an approval an admin gives, with progress on the request's stream", async () => {
  const client = await connectHttp(mcp.server.url, CALLER_A_TOKEN);
  try {
    const pending = structured(
      await client.call("request_secret_access", {
        path: "production/canary/sensitive",
        reason: "rotate the partner's key",
      }),
    );
    expect(pending.status).toBe("pending_approval");
    const approvalRequestId = pending.approvalRequestId as string;
    const { outcome, progress } = await approveWhileWaiting(client, vault, approvalRequestId);
    expect(outcome.status).toBe("approved");
    expect(progress.length).toBeGreaterThan(0);
    const call = structured(
      await client.call("call_api_with_secret", {
        url: `${echo.origin}/partner`,
        secretPath: "production/canary/sensitive",
      }),
    );
    expect(call.status).toBe("completed");
    expect(call.body).toContain("[REDACTED]");
  } finally {
    await client.close();
  }
}, 60_000);

it("lets no value out over HTTP either, in results, errors, notifications or its log", async () => {
  const client = await connectHttp(mcp.server.url, CALLER_A_TOKEN);
  let generatedPaths: string[];
  try {
    generatedPaths = await askForValuesWithEveryTool(client, echo.origin);
  } finally {
    await client.close();
  }
  const generated = await Promise.all(
    generatedPaths.map(async (path) => (await vault.admin.getSecret(path)).value),
  );
  const values = [...Object.values(CANARIES), ...generated];
  expect(client.received.length).toBeGreaterThanOrEqual(25);
  expect(findLeak(JSON.stringify(client.received), values)).toBeUndefined();
  expect(findLeak(mcp.log(), values)).toBeUndefined();
  expect(echo.requests.length).toBeGreaterThan(0);
}, 120_000);
