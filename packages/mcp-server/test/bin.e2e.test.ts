import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectHttp, connectStdio, packageDir, structured } from "./support/mcp-client.js";
import { spawnBin } from "./support/spawn-bin.js";

let vault: RunningVault;
let folder: string;

beforeAll(async () => {
  vault = await startVault();
  folder = await mkdtemp(join(tmpdir(), "ass-mcp-bin-"));
  await vault.admin.setSecret("production/service/token", "fixture-bin-service-token-1a2b");
}, 60_000);

afterAll(async () => {
  await vault?.close();
  await rm(folder, { recursive: true, force: true });
});

const message = (id: number, method: string, params: unknown = {}) =>
  `${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`;

describe("stdio", () => {
  it("writes nothing but JSON-RPC messages to stdout, logs to stderr, and exits when stdin ends", async () => {
    const bin = spawnBin(["--log-level", "debug"], {
      ASS_BASE_URL: vault.baseUrl,
      ASS_AGENT_KEY: vault.agentKey,
    });
    bin.child.stdin.write(
      message(1, "initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "raw", version: "1" },
      }),
    );
    bin.child.stdin.write(
      `${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`,
    );
    bin.child.stdin.write(message(2, "tools/list"));
    bin.child.stdin.write(
      message(3, "tools/call", { name: "list_secrets", arguments: { namespace: "production" } }),
    );
    bin.child.stdin.write(
      message(4, "tools/call", { name: "get_secret", arguments: { path: "x/y" } }),
    );
    await expect
      .poll(() => bin.stdout().split("\n").filter(Boolean).length, { timeout: 30_000 })
      .toBe(4);
    bin.child.stdin.end();
    expect(await bin.exited()).toBe(0);

    const lines = bin.stdout().split("\n").filter(Boolean);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    }
    // Calls run concurrently: answers may come in any order.
    expect(lines.map((line) => JSON.parse(line).id).sort()).toEqual([1, 2, 3, 4]);
    expect(bin.stderr()).toContain("ass-mcp debug: tools/call list_secrets");
    expect(bin.stderr()).toContain("ass-mcp info: stdio session ended");
  }, 60_000);
});

describe("configuration errors", () => {
  it("refuses a destinations file with a typo, saying what to fix", async () => {
    const config = join(folder, "typo.json");
    await writeFile(
      config,
      JSON.stringify({
        destinations: [{ origin: "https://api.example.com", secretPath: ["a/*"] }],
      }),
    );
    const bin = spawnBin(["--config", config], { ASS_AGENT_KEY: vault.agentKey });
    expect(await bin.exited()).toBe(2);
    expect(bin.stderr()).toMatch(
      /^ass-mcp: The configuration file .*typo\.json is not valid: .*secretPath/,
    );
    expect(bin.stdout()).toBe("");
  }, 30_000);

  it("refuses a destination the shared rules reject (a path in the origin)", async () => {
    const bin = spawnBin([], {
      ASS_AGENT_KEY: vault.agentKey,
      ASS_MCP_DESTINATIONS: JSON.stringify([{ origin: "https://api.example.com/v1" }]),
    });
    expect(await bin.exited()).toBe(2);
    expect(bin.stderr()).toContain("destinations are not valid");
    expect(bin.stderr()).not.toMatch(/\n\s+at /);
  }, 30_000);

  it("refuses --http without ASS_MCP_AUTH_TOKEN", async () => {
    const bin = spawnBin(["--http", "--port", "0"], { ASS_AGENT_KEY: vault.agentKey });
    expect(await bin.exited()).toBe(2);
    expect(bin.stderr()).toContain("--http needs ASS_MCP_AUTH_TOKEN");
  }, 30_000);

  it("refuses plain HTTP on a non-loopback address", async () => {
    const bin = spawnBin(["--http", "--port", "0", "--host", "0.0.0.0"], {
      ASS_AGENT_KEY: vault.agentKey,
      ASS_MCP_AUTH_TOKEN: "fixture-http-auth-token-0123456789abcdef",
    });
    expect(await bin.exited()).toBe(2);
    expect(bin.stderr()).toContain("Refusing to serve plain HTTP on 0.0.0.0");
  }, 30_000);
});

describe("--http", () => {
  it("serves Streamable HTTP with a bearer token, and stops on SIGTERM", async () => {
    const authToken = "fixture-http-auth-token-0123456789abcdef";
    const bin = spawnBin(["--http", "--port", "0"], {
      ASS_API_URL: vault.origin,
      ASS_TOKEN: (await vault.admin.requestToken({ scope: "secrets:read:production/*" })).value,
      ASS_MCP_AUTH_TOKEN: authToken,
    });
    await expect.poll(() => bin.stderr(), { timeout: 30_000 }).toMatch(/serving MCP on (\S+)/);
    const url = /serving MCP on (\S+)/.exec(bin.stderr())?.[1] ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connectHttp(url, authToken);
    try {
      const outcome = structured(await client.call("list_secrets", { namespace: "production" }));
      expect(outcome.status).toBe("ok");
    } finally {
      await client.close();
    }
    bin.child.kill("SIGTERM");
    expect(await bin.exited()).toBe(0);
    expect(bin.stdout()).toBe("");
    expect(bin.stderr()).not.toContain(authToken);
  }, 60_000);
});

describe("ass mcp (the CLI)", () => {
  it("serves the same tools over stdio as ass-mcp", async () => {
    const mcp = await connectStdio(
      { ASS_BASE_URL: vault.baseUrl, ASS_AGENT_KEY: vault.agentKey },
      ["mcp", "--log-level", "warn"],
      { cwd: resolve(packageDir, "../cli"), entry: "src/bin.ts" },
    );
    try {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("request_secret_access");
    } finally {
      await mcp.close();
    }
  }, 60_000);
});
