import { access } from "node:fs/promises";
import { AgentVaultPermissionError } from "@agentsecretstore/client";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { FakeVault, startVault, startVaultProcess, TEST_POSTGRES_URL } from "../src/index.js";
import { vaultTest } from "../src/vitest.js";

const VALUE = `not-a-real-key-${Math.random().toString(36).slice(2)}`;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function schemaExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    const result = await client.query(
      "select 1 from information_schema.schemata where schema_name = $1",
      [name],
    );
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe("startVault", () => {
  it.each(["sqlite", "postgres"] as const)(
    "starts a vault on %s with working clients, and close() removes everything",
    async (database) => {
      const vault = await startVault({ database });
      expect(vault.database).toBe(database);
      expect(vault.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      expect(`${vault.origin}/v1`).toBe(vault.baseUrl);
      await vault.agent.setSecret("testkit/api-key", VALUE);
      expect((await vault.agent.getSecret("testkit/api-key")).value).toBe(VALUE);
      expect((await vault.vaultAdmin.listAgents()).length).toBeGreaterThan(0);
      const schema = vault.postgresSchema;
      expect(schema === null).toBe(database === "sqlite");
      if (schema !== null) expect(await schemaExists(schema)).toBe(true);
      await vault.close();
      await vault.close(); // twice is fine
      expect(await exists(vault.dataDir)).toBe(false);
      await expect(fetch(`${vault.baseUrl}/health`)).rejects.toThrow();
      if (schema !== null) expect(await schemaExists(schema)).toBe(false);
    },
    60_000,
  );

  it("approve() decides a pending token's request; server options pass through", async () => {
    await using vault = await startVault({ server: { approvals: { criticalDelaySeconds: 0 } } });
    await vault.admin.setSecret("prod/payments/key", VALUE, { tier: "sensitive" });
    const token = await vault.agent.requestToken({ scope: "secrets:read:prod/payments/key" });
    expect(token.approvalStatus).toBe("pending");
    await vault.approve(token.approvalRequestId ?? "");
    const read = await vault.agent.getSecret("prod/payments/key", { token: token.value });
    expect(read.value).toBe(VALUE);
  }, 60_000);
});

describe("vaultTest", () => {
  let first: string | undefined;
  vaultTest("gives a started vault", async ({ vault }) => {
    first = vault.baseUrl;
    await vault.agent.setSecret("testkit/fixture", VALUE);
  });
  vaultTest("shares it across the file's tests", async ({ vault }) => {
    expect(vault.baseUrl).toBe(first);
    expect((await vault.agent.getSecret("testkit/fixture")).value).toBe(VALUE);
  });
});

describe("startVaultProcess", () => {
  it("runs `ass server` as a process, which exits 0 on close and never logs its keys", async () => {
    const vault = await startVaultProcess();
    expect((await fetch(`${vault.baseUrl}/health`)).status).toBe(200);
    expect(await vault.close()).toBe(0);
    expect(await exists(vault.dataDir)).toBe(false);
    expect(vault.stderr()).not.toContain(vault.agentKey);
    expect(vault.stderr()).not.toContain(vault.adminKey);
  }, 60_000);
});

describe("FakeVault", () => {
  it("holds scoped tokens to their scopes, with the client's error classes", async () => {
    const vault = new FakeVault();
    vault.put("prod/a", VALUE);
    vault.put("prod/b", VALUE);
    const token = await vault.requestToken({ scope: "secrets:read:prod/a" });
    expect((await vault.getSecret("prod/a", { token: token.value })).value).toBe(VALUE);
    await expect(vault.getSecret("prod/b", { token: token.value })).rejects.toBeInstanceOf(
      AgentVaultPermissionError,
    );
    expect(vault.calls.map((call) => call.method)).toEqual([
      "requestToken",
      "getSecret",
      "getSecret",
    ]);
  });
});
