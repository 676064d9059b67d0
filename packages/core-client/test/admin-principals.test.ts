import nock from "nock";
import { describe, expect, it } from "vitest";
import { CreatedAdmin, CreatedAgent, CreatedTenant, RotatedKey } from "../src/admin/index.js";
import {
  AgentVaultConflictError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultValidationError,
} from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  ADMIN_KEY,
  AGENT_KEY,
  ORIGIN,
  rejectionOf,
  testAdmin,
  wireError,
} from "./support/vault-fixtures.js";

useNock();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NEW_ADMIN_KEY = "ass_admin_fake0000secondadmin";
const TENANT_ADMIN_KEY = "ass_admin_fake0000tenantadmin";

function wireAgent(overrides: Record<string, unknown> = {}) {
  return {
    agent_id: "agt_1",
    id: "agt_1",
    name: "summariser",
    description: "writes the nightly report",
    allowed_scopes: ["secrets:read:production/openai/*"],
    created_at: "2026-01-15T10:30:00.000Z",
    ...overrides,
  };
}

function wireAdmin(overrides: Record<string, unknown> = {}) {
  return {
    admin_id: "adm_2",
    id: "adm_2",
    name: "alice",
    is_operator: false,
    created_at: "2026-01-15T10:30:00.000Z",
    ...overrides,
  };
}

describe("agents", () => {
  it("createAgent POSTs name, description and allowed_scopes and returns the key once", async () => {
    let body: unknown;
    let idempotencyKey: unknown;
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } })
      .post("/v1/agents", (sent) => {
        body = sent;
        return true;
      })
      .reply(function reply() {
        idempotencyKey = this.req.headers["idempotency-key"];
        return [201, { ...wireAgent(), api_key: AGENT_KEY }];
      });
    const agent = await testAdmin().createAgent({
      name: "summariser",
      description: "writes the nightly report",
      allowedScopes: ["secrets:read:production/openai/*"],
    });
    expect(body).toEqual({
      name: "summariser",
      description: "writes the nightly report",
      allowed_scopes: ["secrets:read:production/openai/*"],
    });
    expect(idempotencyKey).toMatch(UUID);
    expect(agent).toBeInstanceOf(CreatedAgent);
    expect(agent).toMatchObject({
      agentId: "agt_1",
      name: "summariser",
      allowedScopes: ["secrets:read:production/openai/*"],
      createdAt: new Date("2026-01-15T10:30:00.000Z"),
    });
    expect(agent.apiKey).toBe(AGENT_KEY);
  });

  it("refuses an agent without a name or scopes before sending anything", async () => {
    const admin = testAdmin();
    for (const options of [
      { name: "summariser", allowedScopes: [] },
      { name: " ", allowedScopes: ["secrets:read:a/*"] },
      { name: "summariser" } as unknown as { name: string; allowedScopes: string[] },
    ]) {
      expect(await rejectionOf(admin.createAgent(options))).toBeInstanceOf(
        AgentVaultValidationError,
      );
    }
  });

  it("passes the server's verdict on a bad scope as AgentVaultValidationError", async () => {
    nock(ORIGIN)
      .post("/v1/agents")
      .reply(
        400,
        wireError("VALIDATION_ERROR", {
          issues: [{ field: "allowed_scopes.0", message: "prod* is not a pattern" }],
        }),
      );
    const error = await rejectionOf(
      testAdmin().createAgent({ name: "x", allowedScopes: ["secrets:read:prod*"] }),
    );
    expect(error).toBeInstanceOf(AgentVaultValidationError);
    expect((error as AgentVaultValidationError).issues[0]?.field).toBe("allowed_scopes.0");
  });

  it("listAgents maps the items, never with a key", async () => {
    nock(ORIGIN)
      .get("/v1/agents")
      .reply(200, { items: [wireAgent(), wireAgent({ agent_id: "agt_2", id: "agt_2" })] });
    const agents = await testAdmin().listAgents();
    expect(agents.map((agent) => agent.agentId)).toEqual(["agt_1", "agt_2"]);
    expect(agents[0]).toEqual({
      agentId: "agt_1",
      name: "summariser",
      description: "writes the nightly report",
      allowedScopes: ["secrets:read:production/openai/*"],
      createdAt: new Date("2026-01-15T10:30:00.000Z"),
    });
  });

  it("deleteAgent DELETEs by id, encoded as one segment", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } })
      .delete("/v1/agents/agt%2F1")
      .reply(204);
    await expect(testAdmin().deleteAgent("agt/1")).resolves.toBeUndefined();
  });

  it("deleteAgent throws AgentVaultNotFoundError for an unknown agent", async () => {
    nock(ORIGIN)
      .delete("/v1/agents/agt_9")
      .reply(404, wireError("NOT_FOUND", { message: "No agent agt_9" }));
    expect(await rejectionOf(testAdmin().deleteAgent("agt_9"))).toBeInstanceOf(
      AgentVaultNotFoundError,
    );
  });
});

describe("admins", () => {
  it("createAdmin POSTs the name and returns the new approver's key once", async () => {
    let body: unknown;
    nock(ORIGIN)
      .post("/v1/admins", (sent) => {
        body = sent;
        return true;
      })
      .reply(201, { ...wireAdmin(), api_key: NEW_ADMIN_KEY });
    const admin = await testAdmin().createAdmin({ name: "alice" });
    expect(body).toEqual({ name: "alice" });
    expect(admin).toBeInstanceOf(CreatedAdmin);
    expect(admin).toMatchObject({ adminId: "adm_2", name: "alice", isOperator: false });
    expect(admin.apiKey).toBe(NEW_ADMIN_KEY);
  });

  it("listAdmins maps the items", async () => {
    nock(ORIGIN)
      .get("/v1/admins")
      .reply(200, {
        items: [wireAdmin({ admin_id: "adm_1", id: "adm_1", is_operator: true }), wireAdmin()],
      });
    expect(await testAdmin().listAdmins()).toEqual([
      {
        adminId: "adm_1",
        name: "alice",
        isOperator: true,
        createdAt: new Date("2026-01-15T10:30:00.000Z"),
      },
      {
        adminId: "adm_2",
        name: "alice",
        isOperator: false,
        createdAt: new Date("2026-01-15T10:30:00.000Z"),
      },
    ]);
  });

  it("deleteAdmin DELETEs by id; deleting oneself is a conflict", async () => {
    nock(ORIGIN).delete("/v1/admins/adm_2").reply(204);
    nock(ORIGIN)
      .delete("/v1/admins/adm_1")
      .reply(409, wireError("CONFLICT", { message: "An admin cannot delete itself" }));
    const admin = testAdmin();
    await admin.deleteAdmin("adm_2");
    expect(await rejectionOf(admin.deleteAdmin("adm_1"))).toBeInstanceOf(AgentVaultConflictError);
  });
});

describe("tenants", () => {
  it("createTenant POSTs the name and returns the first admin key once", async () => {
    let body: unknown;
    nock(ORIGIN)
      .post("/v1/tenants", (sent) => {
        body = sent;
        return true;
      })
      .reply(201, {
        tenant_id: "ten_1",
        name: "team-ml",
        admin_id: "adm_9",
        admin_key: TENANT_ADMIN_KEY,
        created_at: "2026-01-15T10:30:00.000Z",
      });
    const tenant = await testAdmin().createTenant({ name: "team-ml" });
    expect(body).toEqual({ name: "team-ml" });
    expect(tenant).toBeInstanceOf(CreatedTenant);
    expect(tenant).toMatchObject({
      tenantId: "ten_1",
      name: "team-ml",
      adminId: "adm_9",
      createdAt: new Date("2026-01-15T10:30:00.000Z"),
    });
    expect(tenant.adminKey).toBe(TENANT_ADMIN_KEY);
  });

  it("throws AgentVaultPermissionError for an admin that is not the operator", async () => {
    nock(ORIGIN)
      .post("/v1/tenants")
      .reply(403, wireError("FORBIDDEN", { message: "only the operator creates tenants" }));
    expect(await rejectionOf(testAdmin().createTenant({ name: "x" }))).toBeInstanceOf(
      AgentVaultPermissionError,
    );
  });

  it("refuses a blank name before sending anything", async () => {
    expect(await rejectionOf(testAdmin().createTenant({ name: "" }))).toBeInstanceOf(
      AgentVaultValidationError,
    );
  });
});

describe("key rotation", () => {
  it("rotateAgentKey POSTs revoke_tokens and returns the new key once, redacted when printed", async () => {
    let body: unknown;
    nock(ORIGIN)
      .post("/v1/agents/agt_1/rotate-key", (sent) => {
        body = sent;
        return true;
      })
      .reply(200, { id: "agt_1", api_key: "ass_live_fake0000rotatedagent", revoked_tokens: 2 });
    const rotated = await testAdmin().rotateAgentKey("agt_1", { revokeTokens: true });
    expect(body).toEqual({ revoke_tokens: true });
    expect(rotated).toBeInstanceOf(RotatedKey);
    expect(rotated).toMatchObject({ id: "agt_1", revokedTokens: 2 });
    expect(rotated.apiKey).toBe("ass_live_fake0000rotatedagent");
    expect(JSON.stringify(rotated)).not.toContain("rotatedagent");
    expect(String(rotated)).not.toContain("rotatedagent");
  });

  it("rotateAdminKey keeps tokens by default; makeOperator POSTs to the admin", async () => {
    let body: unknown;
    nock(ORIGIN)
      .post("/v1/admins/adm_2/rotate-key", (sent) => {
        body = sent;
        return true;
      })
      .reply(200, { id: "adm_2", api_key: NEW_ADMIN_KEY, revoked_tokens: 0 });
    nock(ORIGIN).post("/v1/admins/adm_2/make-operator").reply(204);
    const rotated = await testAdmin().rotateAdminKey("adm_2");
    expect(body).toEqual({ revoke_tokens: false });
    expect(rotated.apiKey).toBe(NEW_ADMIN_KEY);
    await expect(testAdmin().makeOperator("adm_2")).resolves.toBeUndefined();
  });
});
