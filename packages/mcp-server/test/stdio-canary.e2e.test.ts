import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEchoServer } from "../../agent-tools/test/support/echo-server.js";
import { askForValuesWithEveryTool, CANARIES, findLeak, seedCanaries } from "./support/canary.js";
import { type ConnectedClient, connectStdio } from "./support/mcp-client.js";

let vault: RunningVault;
let echo: Awaited<ReturnType<typeof startEchoServer>>;
let mcp: ConnectedClient & { stderr(): string };

beforeAll(async () => {
  [vault, echo] = await Promise.all([startVault(), startEchoServer()]);
  await seedCanaries(vault);
  mcp = await connectStdio(
    {
      ASS_BASE_URL: vault.baseUrl,
      ASS_AGENT_KEY: vault.agentKey,
      ASS_MCP_DESTINATIONS: JSON.stringify([{ origin: echo.origin }]),
    },
    ["--log-level", "debug"],
  );
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await echo?.close();
  await vault?.close();
});

it("lets no value out, in any form, through any result, error, notification or log line", async () => {
  const generatedPaths = await askForValuesWithEveryTool(mcp, echo.origin);
  const generated = await Promise.all(
    generatedPaths.map(async (path) => (await vault.admin.getSecret(path)).value),
  );
  const values = [...Object.values(CANARIES), ...generated];

  // The standard canary really went out (so the echo really sent it back to be masked).
  expect(findLeak(JSON.stringify(echo.requests), [CANARIES["production/canary/standard"]])).toBe(
    CANARIES["production/canary/standard"],
  );
  expect(mcp.received.length).toBeGreaterThanOrEqual(25);
  expect(JSON.stringify(mcp.received)).toContain("[REDACTED]");
  expect(findLeak(JSON.stringify(mcp.received), values)).toBeUndefined();
  expect(findLeak(mcp.stderr(), values)).toBeUndefined();
  expect(mcp.stderr()).toContain("tools/call call_api_with_secret");
  expect(JSON.stringify(mcp.received)).not.toMatch(/ast_tok_[A-Za-z0-9]|ass_live_[A-Za-z0-9]/);
}, 120_000);
