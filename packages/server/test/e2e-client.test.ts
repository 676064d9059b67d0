import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AgentVault,
  AgentVaultAuthError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
} from "@agentsecretstore/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/start-server.js";
import { startServerDatabase } from "./helpers/test-database.js";
import { createTestClock } from "./helpers/test-server.js";

// The real client against a real server over loopback, as a user would run them.
const clock = createTestClock(new Date());
let server: RunningServer;
let dataDir: string;
let vault: AgentVault;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "ass-e2e-"));
  server = await startServer({
    port: 0,
    dataDir,
    logger: false,
    ...(await startServerDatabase()),
    now: clock.now,
  });
  vault = new AgentVault({
    agentKey: server.firstStart?.agentKey,
    baseUrl: server.baseUrl,
    retries: 0,
    env: {},
  });
});

afterAll(async () => {
  await vault?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function tokenVault(token: string): AgentVault {
  return new AgentVault({ token, baseUrl: server.baseUrl, retries: 0, env: {} });
}

describe("@agentsecretstore/client against the server", () => {
  it("sets a secret and gets each version back", async () => {
    const first = await vault.setSecret("e2e/openai/api-key", "canary-value-e2e-1", {
      tier: "standard",
      description: "e2e",
      tags: { team: "ml" },
    });
    expect(first.version).toBe(1);
    await vault.setSecret("e2e/openai/api-key", "canary-value-e2e-2");
    const latest = await vault.getSecret("e2e/openai/api-key");
    expect(latest.value).toBe("canary-value-e2e-2");
    expect(latest.version).toBe(2);
    expect(latest.tags).toEqual({ team: "ml" });
    expect(latest.createdAt).toBeInstanceOf(Date);
    const old = await vault.getSecret("e2e/openai/api-key", { version: 1 });
    expect(old.value).toBe("canary-value-e2e-1");
  });

  it("lists every page with for await", async () => {
    const paths = Array.from({ length: 7 }, (_, index) => `e2e/list/item-${index}`);
    for (const path of paths) await vault.setSecret(path, `canary-value-${path}`);
    const firstPage = await vault.listSecrets("e2e/list", { limit: 3 });
    expect(firstPage.items).toHaveLength(3);
    expect(firstPage.nextCursor).not.toBeNull();
    const seen: string[] = [];
    for await (const item of vault.listSecrets("e2e/list", { limit: 3 })) seen.push(item.path);
    expect(seen).toEqual(paths);
  });

  it("requests a token and reads with it", async () => {
    const token = await vault.requestToken({ scope: "secrets:read:e2e/openai/*", ttlSeconds: 600 });
    expect(token.approvalStatus).toBe("approved");
    const subagent = tokenVault(token.value);
    expect((await subagent.getSecret("e2e/openai/api-key")).value).toBe("canary-value-e2e-2");
    await subagent.close();
  });

  it("refuses the second use of a single-use token with AgentVaultAuthError", async () => {
    const token = await vault.requestToken({ scope: "secrets:read:e2e/openai/*", maxUses: 1 });
    const subagent = tokenVault(token.value);
    await subagent.getSecret("e2e/openai/api-key");
    await expect(subagent.getSecret("e2e/openai/api-key")).rejects.toBeInstanceOf(
      AgentVaultAuthError,
    );
    await subagent.close();
  });

  it("refuses an expired token with AgentVaultAuthError", async () => {
    const token = await vault.requestToken({ scope: "secrets:read:e2e/openai/*", ttlSeconds: 60 });
    const subagent = tokenVault(token.value);
    clock.advance(61);
    await expect(subagent.getSecret("e2e/openai/api-key")).rejects.toBeInstanceOf(
      AgentVaultAuthError,
    );
    await subagent.close();
  });

  it("refuses an out-of-scope read with AgentVaultPermissionError carrying path and required scope", async () => {
    await vault.setSecret("e2e/other/key", "canary-value-other");
    const token = await vault.requestToken({ scope: "secrets:read:e2e/openai/*" });
    const subagent = tokenVault(token.value);
    const error = await subagent.getSecret("e2e/other/key").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentVaultPermissionError);
    expect(error).toMatchObject({
      path: "e2e/other/key",
      requiredScope: "secrets:read:e2e/other/key",
      status: 403,
    });
    await subagent.close();
  });

  it("answers an unknown path with AgentVaultNotFoundError", async () => {
    const error = await vault.getSecret("e2e/nothing/here").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentVaultNotFoundError);
    expect(error).toMatchObject({ path: "e2e/nothing/here", status: 404 });
  });

  it("rotates with a grace period and revokes a token", async () => {
    const rotation = await vault.rotateSecret("e2e/openai/api-key", "canary-value-e2e-3", {
      gracePeriodSeconds: 60,
    });
    expect(rotation).toMatchObject({ newVersion: 3, oldVersion: 2 });
    const token = await vault.requestToken({ scope: "secrets:read:e2e/openai/*" });
    await vault.revokeToken(token);
    const subagent = tokenVault(token.value);
    await expect(subagent.getSecret("e2e/openai/api-key")).rejects.toBeInstanceOf(
      AgentVaultAuthError,
    );
    await subagent.close();
  });
});
