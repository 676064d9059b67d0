// The principal cache on the read and secret-write routes: whatever changes a credential (a revocation, a deleted
// agent or admin) stops its next read, on the instance that made the change and on another
// instance whose cache has not heard of it (the commit that answers a read confirms the principal).
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../src/create-server.js";
import type { VaultServer } from "../src/vault-server.js";
import { deleteAdmin } from "./helpers/approvals.js";
import { freshDatabaseConfig } from "./helpers/test-database.js";
import {
  bearer,
  createAgent,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
  UNTHROTTLED,
} from "./helpers/test-server.js";

const servers: { app: VaultServer }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

async function oneInstance(): Promise<TestServer> {
  const server = await createTestServer();
  servers.push(server);
  await putSecret(server, server.adminKey, "production/app/db-password", {
    value: "canary-value-1",
  });
  return server;
}

/** Two instances on one database (a SQLite file, or a PostgreSQL schema) and one master key. */
async function twoInstances(): Promise<{ first: TestServer; second: TestServer }> {
  const database = await freshDatabaseConfig({ shared: true });
  const masterKey = randomBytes(32);
  const first = await createTestServer({ database, masterKey });
  servers.push(first);
  const secondApp = await createServer({
    masterKey,
    database,
    rateLimits: UNTHROTTLED,
    now: first.clock.now,
  });
  servers.push({ app: secondApp });
  const second: TestServer = { ...first, app: secondApp };
  await putSecret(first, first.adminKey, "production/app/db-password", { value: "canary-value-2" });
  return { first, second };
}

const READ = "/v1/secrets/production/app/db-password";

describe("the principal cache", () => {
  it("stops a revoked token's next read on the same instance", async () => {
    const server = await oneInstance();
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:production/*",
    });
    expect((await getWith(server, token.body.token, READ)).statusCode).toBe(200);
    const revoked = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${token.body.token_id}`,
      headers: bearer(server.adminKey),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await getWith(server, token.body.token, READ)).statusCode).toBe(401);
  });

  it("stops a deleted agent's key and its tokens at once", async () => {
    const server = await oneInstance();
    const agent = await createAgent(server, ["secrets:read:production/*"]);
    const token = await requestToken(server, agent.agentKey, {
      scope: "secrets:read:production/*",
    });
    expect((await getWith(server, agent.agentKey, READ)).statusCode).toBe(200);
    expect((await getWith(server, token.body.token, READ)).statusCode).toBe(200);
    const deleted = await server.app.inject({
      method: "DELETE",
      url: `/v1/agents/${agent.agentId}`,
      headers: bearer(server.adminKey),
    });
    expect(deleted.statusCode).toBe(204);
    expect((await getWith(server, agent.agentKey, READ)).statusCode).toBe(401);
    expect((await getWith(server, token.body.token, READ)).statusCode).toBe(401);
  });

  it("stops a deleted admin's key and the tokens it issued", async () => {
    const server = await oneInstance();
    const created = await server.app.inject({
      method: "POST",
      url: "/v1/admins",
      headers: bearer(server.adminKey),
      payload: { name: "second approver" },
    });
    expect(created.statusCode).toBe(201);
    const { admin_id: adminId, api_key: adminKey } = created.json() as {
      admin_id: string;
      api_key: string;
    };
    const token = await requestToken(server, adminKey, { scope: "secrets:read:production/*" });
    expect((await getWith(server, adminKey, READ)).statusCode).toBe(200);
    expect((await getWith(server, token.body.token, READ)).statusCode).toBe(200);
    // Two admins: deleting one is a two-person action (the one deleted agrees here).
    const deleted = await deleteAdmin(server, adminId, server.adminKey, adminKey);
    expect(deleted.statusCode).toBe(204);
    expect((await getWith(server, adminKey, READ)).statusCode).toBe(401);
    expect((await getWith(server, token.body.token, READ)).statusCode).toBe(401);
  });

  it("lets a max_uses token read exactly its uses although its record is cached", async () => {
    const server = await oneInstance();
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:production/*",
      max_uses: 3,
    });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push((await getWith(server, token.body.token, READ)).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 401, 401]);
  });

  it("stops a token revoked on another instance at its next read there", async () => {
    const { first, second } = await twoInstances();
    const token = await requestToken(first, first.agentKey, { scope: "secrets:read:production/*" });
    // The second instance caches the token's record with this read.
    expect((await getWith(second, token.body.token, READ)).statusCode).toBe(200);
    const revoked = await first.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${token.body.token_id}`,
      headers: bearer(first.adminKey),
    });
    expect(revoked.statusCode).toBe(204);
    const after = await getWith(second, token.body.token, READ);
    expect(after.statusCode).toBe(401);
    expect(after.body).not.toContain("canary-value");
  });

  it("stops an agent deleted on another instance at its next read there", async () => {
    const { first, second } = await twoInstances();
    const agent = await createAgent(first, ["secrets:read:production/*"]);
    expect((await getWith(second, agent.agentKey, READ)).statusCode).toBe(200);
    const deleted = await first.app.inject({
      method: "DELETE",
      url: `/v1/agents/${agent.agentId}`,
      headers: bearer(first.adminKey),
    });
    expect(deleted.statusCode).toBe(204);
    const after = await getWith(second, agent.agentKey, READ);
    expect(after.statusCode).toBe(401);
    expect(after.body).not.toContain("canary-value");
  });

  // Writes take the cached principal too: the guard's token use, committed before anything is
  // written, confirms it against the database.
  const WRITE = "production/app/written";

  it("stops a write by an agent deleted on another instance, and nothing is written", async () => {
    const { first, second } = await twoInstances();
    const agent = await createAgent(first, ["secrets:*:production/*"]);
    const before = await putSecret(second, agent.agentKey, WRITE, { value: "canary-value-w1" });
    expect(before.statusCode).toBe(201);
    const deleted = await first.app.inject({
      method: "DELETE",
      url: `/v1/agents/${agent.agentId}`,
      headers: bearer(first.adminKey),
    });
    expect(deleted.statusCode).toBe(204);
    const after = await putSecret(second, agent.agentKey, WRITE, { value: "canary-value-w2" });
    expect(after.statusCode).toBe(401);
    const deletion = await second.app.inject({
      method: "DELETE",
      url: `/v1/secrets/${WRITE}`,
      headers: bearer(agent.agentKey),
    });
    expect(deletion.statusCode).toBe(401);
    const read = await getWith(first, first.adminKey, `/v1/secrets/${WRITE}`);
    expect(read.json()).toMatchObject({ version: 1, value: "canary-value-w1" });
  });

  it("stops a write by a token revoked on another instance", async () => {
    const { first, second } = await twoInstances();
    const token = await requestToken(first, first.agentKey, {
      scope: "secrets:write:production/*",
    });
    expect(
      (await putSecret(second, token.body.token, WRITE, { value: "canary-value-t1" })).statusCode,
    ).toBe(201);
    const revoked = await first.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${token.body.token_id}`,
      headers: bearer(first.adminKey),
    });
    expect(revoked.statusCode).toBe(204);
    const rotation = await second.app.inject({
      method: "POST",
      url: `/v1/secrets/${WRITE}/rotate`,
      headers: bearer(token.body.token),
      payload: { new_value: "canary-value-t2" },
    });
    expect(rotation.statusCode).toBe(401);
    const read = await getWith(first, first.adminKey, `/v1/secrets/${WRITE}`);
    expect(read.json()).toMatchObject({ version: 1, value: "canary-value-t1" });
  });

  it("stops a write with an agent key rotated away on another instance", async () => {
    const { first, second } = await twoInstances();
    const agent = await createAgent(first, ["secrets:*:production/*"]);
    expect(
      (await putSecret(second, agent.agentKey, WRITE, { value: "canary-value-k1" })).statusCode,
    ).toBe(201);
    const rotated = await first.app.inject({
      method: "POST",
      url: `/v1/agents/${agent.agentId}/rotate-key`,
      headers: bearer(first.adminKey),
    });
    expect(rotated.statusCode).toBe(200);
    const newKey = rotated.json().api_key as string;
    expect(
      (await putSecret(second, agent.agentKey, WRITE, { value: "canary-value-k2" })).statusCode,
    ).toBe(401);
    expect((await putSecret(second, newKey, WRITE, { value: "canary-value-k3" })).statusCode).toBe(
      200,
    );
  });
});
