import { inspect } from "node:util";
import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type CreatedAdmin,
  type CreatedAgent,
  type CreatedTenant,
  VaultAdmin,
} from "../src/admin/index.js";
import { AgentVaultAbortError, AgentVaultConfigurationError } from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  ADMIN_KEY,
  AGENT_KEY,
  capturingLogger,
  ORIGIN,
  rejectionOf,
  testAdmin,
  wireApproval,
  wireError,
} from "./support/vault-fixtures.js";

useNock();

afterEach(() => {
  vi.unstubAllEnvs();
});

const NEW_ADMIN_KEY = "ass_admin_fake0000secondadmin";
const TENANT_ADMIN_KEY = "ass_admin_fake0000tenantadmin";
const KEYS = [ADMIN_KEY, AGENT_KEY, NEW_ADMIN_KEY, TENANT_ADMIN_KEY];

function expectClean(text: string) {
  for (const key of KEYS) expect(text).not.toContain(key);
}

describe("VaultAdmin configuration", () => {
  it("reads ASS_ADMIN_KEY and ASS_BASE_URL", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } })
      .get("/v1/approvals")
      .reply(200, []);
    const admin = new VaultAdmin({ env: { ASS_ADMIN_KEY: ADMIN_KEY, ASS_BASE_URL: ORIGIN } });
    expect(admin.baseUrl).toBe(`${ORIGIN}/v1`);
    await admin.listApprovals();
  });

  it("reads process.env when no env option is given", async () => {
    vi.stubEnv("ASS_ADMIN_KEY", ADMIN_KEY);
    vi.stubEnv("ASS_BASE_URL", ORIGIN);
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } })
      .get("/v1/agents")
      .reply(200, { items: [] });
    expect(await new VaultAdmin().listAgents()).toEqual([]);
  });

  it("lets the adminKey option win over ASS_ADMIN_KEY", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${NEW_ADMIN_KEY}` } })
      .get("/v1/admins")
      .reply(200, { items: [] });
    const admin = new VaultAdmin({
      adminKey: NEW_ADMIN_KEY,
      baseUrl: ORIGIN,
      env: { ASS_ADMIN_KEY: ADMIN_KEY },
    });
    await admin.listAdmins();
  });

  it("throws at construction without an admin key, naming adminKey and ASS_ADMIN_KEY", () => {
    // An agent key is not an admin key, so ASS_AGENT_KEY does not count.
    const create = () => new VaultAdmin({ env: { ASS_AGENT_KEY: AGENT_KEY, ASS_ADMIN_KEY: "" } });
    expect(create).toThrow(AgentVaultConfigurationError);
    expect(create).toThrow(expect.objectContaining({ code: "MISSING_CREDENTIAL" }) as Error);
    let message = "";
    try {
      create();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("adminKey");
    expect(message).toContain("ASS_ADMIN_KEY");
    expectClean(message);
  });

  it.each([
    [{ timeout: 0 }, "timeout"],
    [{ retries: -1 }, "retries"],
    [{ baseUrl: "ftp://127.0.0.1" }, "baseUrl"],
  ])("refuses %o at construction, like AgentVault", (options, name) => {
    const create = () => new VaultAdmin({ adminKey: ADMIN_KEY, env: {}, ...options });
    expect(create).toThrow(AgentVaultConfigurationError);
    expect(create).toThrow(name);
  });

  it("aborts requests in flight on close and refuses later calls", async () => {
    nock(ORIGIN).get("/v1/approvals").delay(5_000).reply(200, []);
    const admin = testAdmin();
    const listing = rejectionOf(admin.listApprovals());
    await new Promise((resolve) => setTimeout(resolve, 10));
    await admin.close();
    expect(await listing).toBeInstanceOf(AgentVaultAbortError);
    const later = await rejectionOf(admin.listAgents());
    expect(later).toBeInstanceOf(AgentVaultConfigurationError);
    expect(later).toMatchObject({ code: "CLIENT_CLOSED" });
    expect(later.message).toContain("VaultAdmin");
    await expect(admin.close()).resolves.toBeUndefined();
    nock.abortPendingRequests();
  });

  it("closes at the end of an await using block", async () => {
    let escaped: VaultAdmin | undefined;
    {
      await using admin = testAdmin();
      escaped = admin;
    }
    expect(await rejectionOf(escaped.listAgents())).toMatchObject({ code: "CLIENT_CLOSED" });
  });
});

describe("keys made by VaultAdmin never leak", () => {
  async function createAll(admin: VaultAdmin) {
    nock(ORIGIN)
      .post("/v1/agents")
      .reply(201, {
        agent_id: "agt_1",
        name: "summariser",
        description: null,
        allowed_scopes: ["secrets:read:a/*"],
        created_at: "2026-01-15T10:30:00.000Z",
        api_key: AGENT_KEY,
      });
    nock(ORIGIN)
      .post("/v1/admins")
      .reply(201, { admin_id: "adm_2", name: "alice", is_operator: false, api_key: NEW_ADMIN_KEY });
    nock(ORIGIN)
      .post("/v1/tenants")
      .reply(201, { tenant_id: "ten_1", name: "team-ml", admin_key: TENANT_ADMIN_KEY });
    const agent = await admin.createAgent({
      name: "summariser",
      allowedScopes: ["secrets:read:a/*"],
    });
    const approver = await admin.createAdmin({ name: "alice" });
    const tenant = await admin.createTenant({ name: "team-ml" });
    return [agent, approver, tenant] as const;
  }

  it("prints [REDACTED] for each key in String, JSON and util.inspect", async () => {
    const created: readonly (CreatedAgent | CreatedAdmin | CreatedTenant)[] = await createAll(
      testAdmin(),
    );
    for (const item of created) {
      for (const printed of [
        String(item),
        `${item}`,
        JSON.stringify(item),
        JSON.stringify({ wrapped: [item] }),
        inspect(item),
        inspect(item, { depth: 10, showHidden: true }),
        inspect({ deep: { deeper: [item] } }, { depth: 10 }),
        JSON.stringify({ ...item }),
        JSON.stringify(Object.entries(item)),
      ]) {
        expectClean(printed);
      }
      expect(JSON.stringify(item)).toContain("[REDACTED]");
      expect(inspect(item)).toContain("[REDACTED]");
    }
    const [agent, approver, tenant] = created as [CreatedAgent, CreatedAdmin, CreatedTenant];
    expect(String(agent)).toBe("CreatedAgent(agt_1, summariser, apiKey [REDACTED])");
    expect(JSON.parse(JSON.stringify(approver))).toMatchObject({
      adminId: "adm_2",
      apiKey: "[REDACTED]",
    });
    expect(inspect(tenant)).toContain("ten_1");
    expect([agent.apiKey, approver.apiKey, tenant.adminKey]).toEqual([
      AGENT_KEY,
      NEW_ADMIN_KEY,
      TENANT_ADMIN_KEY,
    ]);
  });

  it("a capturing logger sees no key across a whole admin session", async () => {
    const logger = capturingLogger();
    const admin = testAdmin({ logger });
    await createAll(admin);
    nock(ORIGIN).get("/v1/approvals").query(true).reply(200, [wireApproval()]);
    nock(ORIGIN)
      .post("/v1/approvals/apr_1/approve")
      .reply(200, wireApproval({ status: "approved" }));
    nock(ORIGIN)
      .get("/v1/agents")
      .reply(401, wireError("UNAUTHORIZED", { message: `bad key ${ADMIN_KEY}` }));
    await admin.listApprovals({ status: "pending" });
    await admin.approve("apr_1", { comment: "ok" });
    const error = await rejectionOf(admin.listAgents());
    expect(logger.debug).toHaveBeenCalledTimes(6);
    expectClean(logger.lines());
    expectClean(`${error.message} ${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`);
  });
});
