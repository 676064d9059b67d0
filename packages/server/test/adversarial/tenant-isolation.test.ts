import { afterEach, describe, expect, it } from "vitest";
import { createAdmin, deleteAdmin } from "../helpers/approvals.js";
import {
  createAgent,
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "../helpers/test-server.js";
import { CANARY, expectError, send } from "./attack-helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** Tenant A (the default tenant) with a secret, an agent, a token, a pending approval. */
async function tenantA(target: TestServer) {
  await putSecret(target, target.adminKey, "shared/name", { value: `${CANARY}-a` });
  await putSecret(target, target.adminKey, "shared/guarded", {
    value: `${CANARY}-a-guarded`,
    tier: "sensitive",
  });
  const agent = await createAgent(target, ["secrets:*:*"], "agent-a");
  const token = await requestToken(target, agent.agentKey, { scope: "secrets:read:shared/name" });
  const pending = await send(target, agent.agentKey, "GET", "/v1/secrets/shared/guarded");
  expect(pending.statusCode).toBe(202);
  const admins = (await send(target, target.adminKey, "GET", "/v1/admins")).json().items as {
    id: string;
  }[];
  return {
    agent,
    token,
    approvalId: pending.json().error.approval_request_id as string,
    operatorAdminId: admins[0]!.id,
  };
}

/** Tenant B, made by the operator, with its own admin, agent and token. */
async function tenantB(target: TestServer) {
  const created = await send(target, target.adminKey, "POST", "/v1/tenants", {
    payload: { name: "tenant-b" },
  });
  expect(created.statusCode).toBe(201);
  const adminKey = created.json().admin_key as string;
  const agentResponse = await send(target, adminKey, "POST", "/v1/agents", {
    payload: { name: "agent-b", allowed_scopes: ["secrets:*:*"] },
  });
  const agentKey = agentResponse.json().api_key as string;
  const token = await requestToken(target, agentKey, { scope: "secrets:*:*" });
  return { adminKey, agentKey, token: token.body.token };
}

describe("another tenant's ids (IDOR)", () => {
  it("are 404 to every kind of credential of tenant B, on every route that takes an id", async () => {
    server = await createTestServer();
    const a = await tenantA(server);
    const b = await tenantB(server);
    for (const credential of [b.adminKey, b.agentKey, b.token]) {
      const attempts = [
        send(server, credential, "DELETE", `/v1/tokens/${a.token.body.token_id}`),
        send(server, credential, "DELETE", `/v1/agents/${a.agent.agentId}`),
        send(server, credential, "DELETE", `/v1/admins/${a.operatorAdminId}`),
        send(server, credential, "GET", `/v1/approvals/${a.approvalId}`),
        send(server, credential, "POST", `/v1/approvals/${a.approvalId}/approve`),
        send(server, credential, "POST", `/v1/approvals/${a.approvalId}/deny`),
        send(server, credential, "POST", `/v1/approvals/${a.approvalId}/cancel`),
      ];
      for (const response of await Promise.all(attempts)) {
        expect([403, 404], response.body).toContain(response.statusCode);
      }
    }
    // Tenant A's things are untouched.
    expect((await send(server, a.token.body.token, "GET", "/v1/tokens/self")).statusCode).toBe(200);
    expect(
      (await send(server, a.agent.agentKey, "GET", "/v1/secrets/shared/name")).statusCode,
    ).toBe(200);
    const approval = await send(server, server.adminKey, "GET", `/v1/approvals/${a.approvalId}`);
    expect(approval.json()).toMatchObject({ status: "pending", approvals: [] });
  });

  it("never show tenant A's secrets, approvals or audit events to tenant B's admin", async () => {
    server = await createTestServer();
    const a = await tenantA(server);
    const b = await tenantB(server);
    const reads = [
      "/v1/secrets/shared/name",
      "/v1/metadata/shared/name",
      "/v1/secrets/shared",
      "/v1/secrets?namespace=",
      "/v1/approvals",
      `/v1/audit?actor=${a.agent.agentId}`,
      "/v1/audit?path=shared/name",
      "/v1/audit?limit=500",
      "/v1/agents",
      "/v1/admins",
    ];
    for (const url of reads) {
      const response = await send(server, b.adminKey, "GET", url);
      expect(response.body, url).not.toContain(CANARY);
      expect(response.body, url).not.toContain(a.agent.agentId);
      expect(response.body, url).not.toContain(a.approvalId);
      expect(response.body, url).not.toContain(a.token.body.token_id);
      if (!url.includes("shared")) expect(response.body, url).not.toContain("shared/name");
    }
    // The same path in tenant B is tenant B's own secret; A's value stays A's.
    expect(
      (await putSecret(server, b.adminKey, "shared/name", { value: "b-value" })).statusCode,
    ).toBe(201);
    const ours = await send(server, server.adminKey, "GET", "/v1/secrets/shared/name");
    expect(ours.json()).toMatchObject({ value: `${CANARY}-a`, version: 1 });
  });

  it("keeps tenant B's admin from creating tenants", async () => {
    server = await createTestServer();
    const b = await tenantB(server);
    expectError(
      await send(server, b.adminKey, "POST", "/v1/tenants", { payload: { name: "nested" } }),
      403,
      "SCOPE_DENIED",
    );
  });
});

describe("admins inside one tenant", () => {
  it("other than the operator cannot create tenants, even in the operator's tenant", async () => {
    server = await createTestServer();
    const named = await createAdmin(server, "named");
    expectError(
      await send(server, named.adminKey, "POST", "/v1/tenants", { payload: { name: "side" } }),
      403,
      "SCOPE_DENIED",
    );
  });

  it("cannot delete the operator's admin key unless they are the operator", async () => {
    server = await createTestServer();
    const admins = (await send(server, server.adminKey, "GET", "/v1/admins")).json().items as {
      id: string;
      is_operator: boolean;
    }[];
    const operatorId = admins.find((admin) => admin.is_operator)?.id ?? "";
    const named = await createAdmin(server, "alice");
    expectError(
      await send(server, named.adminKey, "DELETE", `/v1/admins/${operatorId}`),
      403,
      "SCOPE_DENIED",
    );
    expect((await send(server, server.adminKey, "GET", "/v1/admins")).statusCode).toBe(200);
    // The operator may still remove a named admin (with a second person, two admins existing).
    expect(
      (await deleteAdmin(server, named.adminId, server.adminKey, named.adminKey)).statusCode,
    ).toBe(204);
  });

  it("stop the tokens a deleted admin issued, with their descendants", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "vault/critical", {
      value: CANARY,
      tier: "sensitive",
    });
    const leaving = await createAdmin(server, "leaving");
    // Issued by an admin, the token is approved up to sensitive without anyone else's approval.
    const token = await requestToken(server, leaving.adminKey, { scope: "secrets:read:vault/*" });
    expect(token.statusCode).toBe(201);
    const child = await requestToken(server, token.body.token, { scope: "secrets:read:vault/*" });
    expect(child.statusCode).toBe(201);
    expect(
      (await deleteAdmin(server, leaving.adminId, server.adminKey, leaving.adminKey)).statusCode,
    ).toBe(204);
    for (const credential of [leaving.adminKey, token.body.token, child.body.token]) {
      expectError(
        await send(server, credential, "GET", "/v1/secrets/vault/critical"),
        401,
        "UNAUTHORIZED",
      );
    }
  });
});
