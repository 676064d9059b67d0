import { afterEach, describe, expect, it } from "vitest";
import { signIn } from "./console/console-helpers.js";
import { auditEvents, createAdmin, deleteAdmin } from "./helpers/approvals.js";
import {
  bearer,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

async function post(test: TestServer, credential: string, url: string, payload?: object) {
  return test.app.inject({
    method: "POST",
    url,
    headers: bearer(credential),
    ...(payload === undefined ? {} : { payload }),
  });
}

async function defaultAgentId(test: TestServer): Promise<string> {
  const me = await getWith(test, test.agentKey, "/v1/me");
  return me.json().id as string;
}

describe("POST /v1/agents/{id}/rotate-key", () => {
  it("gives a new key once and stops the old one at once, even cached by a hot read; its tokens stay", async () => {
    server = await createTestServer();
    const test = server;
    await putSecret(test, test.agentKey, "app/key", { value: "canary-value-rotation" });
    expect((await getWith(test, test.agentKey, "/v1/secrets/app/key")).statusCode).toBe(200);
    const token = await requestToken(test, test.agentKey, { scope: "secrets:read:app/*" });
    const agentId = await defaultAgentId(test);

    const rotated = await post(test, test.adminKey, `/v1/agents/${agentId}/rotate-key`);
    expect(rotated.statusCode).toBe(200);
    const body = rotated.json();
    expect(body).toMatchObject({ id: agentId, revoked_tokens: 0 });
    expect(body.api_key).toMatch(/^ass_live_/);
    expect(body.api_key).not.toBe(test.agentKey);

    expect((await getWith(test, test.agentKey, "/v1/secrets/app/key")).statusCode).toBe(401);
    expect((await getWith(test, body.api_key, "/v1/secrets/app/key")).statusCode).toBe(200);
    expect((await getWith(test, token.body.token, "/v1/secrets/app/key")).statusCode).toBe(200);
    const events = await auditEvents(test, "agent.key_rotated");
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(body.api_key);
  });

  it("revokes the old key's tokens when asked, and is for admins only", async () => {
    server = await createTestServer();
    const test = server;
    await putSecret(test, test.agentKey, "app/key", { value: "canary-value-rotation" });
    const token = await requestToken(test, test.agentKey, { scope: "secrets:read:app/*" });
    const agentId = await defaultAgentId(test);
    const refused = await post(test, test.agentKey, `/v1/agents/${agentId}/rotate-key`, {});
    expect(refused.statusCode).toBe(403);
    expect((await post(test, test.adminKey, "/v1/agents/agt_nobody/rotate-key")).statusCode).toBe(
      404,
    );
    const badFlag = await post(test, test.adminKey, `/v1/agents/${agentId}/rotate-key`, {
      revoke_tokens: "yes",
    });
    expect(badFlag.statusCode).toBe(400);

    const rotated = await post(test, test.adminKey, `/v1/agents/${agentId}/rotate-key`, {
      revoke_tokens: true,
    });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().revoked_tokens).toBe(1);
    expect((await getWith(test, token.body.token, "/v1/secrets/app/key")).statusCode).toBe(401);
    expect((await getWith(test, rotated.json().api_key, "/v1/secrets/app/key")).statusCode).toBe(
      200,
    );
  });
});

describe("POST /v1/admins/{id}/rotate-key", () => {
  it("lets an admin, the operator too, replace its own key only", async () => {
    server = await createTestServer();
    const test = server;
    const other = await createAdmin(test, "approver");
    const operatorId = (await getWith(test, test.adminKey, "/v1/me")).json().id as string;

    const foreign = await post(test, other.adminKey, `/v1/admins/${operatorId}/rotate-key`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.message).toContain("own key");

    const rotated = await post(test, test.adminKey, `/v1/admins/${operatorId}/rotate-key`);
    expect(rotated.statusCode).toBe(200);
    const newKey = rotated.json().api_key as string;
    expect(newKey).toMatch(/^ass_admin_/);
    expect((await getWith(test, test.adminKey, "/v1/admins")).statusCode).toBe(401);
    // Still the operator, under the new key.
    expect((await post(test, newKey, "/v1/tenants", { name: "after-rotation" })).statusCode).toBe(
      201,
    );
    expect((await getWith(test, other.adminKey, "/v1/admins")).statusCode).toBe(200);
  });
});

describe("a rotated admin key and the console", () => {
  it("ends the console sessions begun with the old key, and the new key signs in", async () => {
    server = await createTestServer();
    const test = server;
    const approver = await createAdmin(test, "console-user");
    const { cookie } = await signIn(test, approver.adminKey);
    const list = () =>
      test.app.inject({ method: "GET", url: "/v1/approvals", headers: { cookie } });
    expect((await list()).statusCode).toBe(200);
    const rotated = await post(
      test,
      approver.adminKey,
      `/v1/admins/${approver.adminId}/rotate-key`,
    );
    expect(rotated.statusCode).toBe(200);
    expect((await list()).statusCode).toBe(401);
    await expect(signIn(test, approver.adminKey)).rejects.toThrow("sign-in failed");
    const fresh = await signIn(test, rotated.json().api_key as string);
    expect(
      (
        await test.app.inject({
          method: "GET",
          url: "/v1/approvals",
          headers: { cookie: fresh.cookie },
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe("POST /v1/admins/{id}/make-operator", () => {
  it("hands the operator role to another admin, and only the operator may", async () => {
    server = await createTestServer();
    const test = server;
    const next = await createAdmin(test, "next-operator");
    const operatorId = (await getWith(test, test.adminKey, "/v1/me")).json().id as string;

    expect(
      (await post(test, next.adminKey, `/v1/admins/${next.adminId}/make-operator`)).statusCode,
    ).toBe(403);
    expect(
      (await post(test, test.adminKey, `/v1/admins/${operatorId}/make-operator`)).statusCode,
    ).toBe(409);
    expect(
      (await post(test, test.adminKey, "/v1/admins/adm_nobody/make-operator")).statusCode,
    ).toBe(404);
    // A refused hand-over changed nothing: the operator is still the operator.
    expect(
      (await post(test, test.adminKey, "/v1/tenants", { name: "still-mine" })).statusCode,
    ).toBe(201);

    const handed = await post(test, test.adminKey, `/v1/admins/${next.adminId}/make-operator`);
    expect(handed.statusCode).toBe(204);
    expect(
      (await post(test, test.adminKey, "/v1/tenants", { name: "not-any-more" })).statusCode,
    ).toBe(403);
    expect((await post(test, next.adminKey, "/v1/tenants", { name: "theirs" })).statusCode).toBe(
      201,
    );
    const me = (await getWith(test, next.adminKey, "/v1/me")).json();
    expect(me.is_operator).toBe(true);
    // The new operator may retire the old operator's key (a two-person action: the old one agrees).
    const retired = await deleteAdmin(test, operatorId, next.adminKey, test.adminKey);
    expect(retired.statusCode).toBe(204);
    expect((await getWith(test, test.adminKey, "/v1/me")).statusCode).toBe(401);
    expect(
      await auditEvents({ ...test, adminKey: next.adminKey }, "admin.operator_handed_over"),
    ).toHaveLength(1);
  });
});
