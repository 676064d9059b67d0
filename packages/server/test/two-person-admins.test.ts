import { afterEach, describe, expect, it } from "vitest";
import { createAdmin, decide } from "./helpers/approvals.js";
import {
  bearer,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

// Issue 17, item 4: two people for critical, for everyone (docs/security.md cites these tests).

let server: TestServer;
afterEach(async () => {
  await server?.app.close();
});

const DELAY_SECONDS = 300;

async function criticalSecret(path = "prod/root"): Promise<void> {
  const put = await putSecret(server, server.adminKey, path, {
    value: `canary-${"c".repeat(12)}`,
    tier: "critical",
  });
  expect(put.statusCode).toBeLessThan(300);
}

function postAdmin(credential: string, name: string) {
  return server.app.inject({
    method: "POST",
    url: "/v1/admins",
    headers: bearer(credential),
    payload: { name },
  });
}

function deleteAdminWith(credential: string, adminId: string) {
  return server.app.inject({
    method: "DELETE",
    url: `/v1/admins/${adminId}`,
    headers: bearer(credential),
  });
}

describe("admins follow the tier rules", () => {
  it("refuses a lone admin's direct read of a critical secret: 202 with a request another admin must approve", async () => {
    server = await createTestServer();
    await criticalSecret();
    const read = await getWith(server, server.adminKey, "/v1/secrets/prod/root");
    expect(read.statusCode).toBe(202);
    expect(read.body).not.toContain("canary-");
    const approvalId = read.json().error.approval_request_id as string;
    const again = await getWith(server, server.adminKey, "/v1/secrets/prod/root");
    expect(again.json().error.approval_request_id).toBe(approvalId);

    const request = await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`);
    expect(request.json()).toMatchObject({
      status: "pending",
      tier: "critical",
      requested_by_type: "admin",
      path: "prod/root",
      // The reading admin is one of the two people: one other admin is needed.
      required_approvals: 1,
    });
    const self = await decide(server, server.adminKey, approvalId, "approve");
    expect(self.json().error).toMatchObject({ code: "CONFLICT", reason: "self_approval" });
  });

  it("lets an admin read a sensitive secret directly (the reading admin is the one approval)", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "prod/s", { value: "canary-s", tier: "sensitive" });
    const read = await getWith(server, server.adminKey, "/v1/secrets/prod/s");
    expect(read.statusCode).toBe(200);
    expect(read.json().value).toBe("canary-s");
  });

  it("opens an admin's critical read once a second admin approved it and the delay passed", async () => {
    server = await createTestServer();
    const second = await createAdmin(server, "second-person");
    await criticalSecret();
    const read = await getWith(server, server.adminKey, "/v1/secrets/prod/root");
    const approvalId = read.json().error.approval_request_id as string;
    const approved = await decide(server, second.adminKey, approvalId, "approve");
    expect(approved.json()).toMatchObject({ status: "pending", eligible_at: expect.any(String) });
    expect((await getWith(server, server.adminKey, "/v1/secrets/prod/root")).statusCode).toBe(202);
    server.clock.advance(DELAY_SECONDS + 1);
    const open = await getWith(server, server.adminKey, "/v1/secrets/prod/root");
    expect(open.statusCode).toBe(200);
    expect(open.json().value).toBe(`canary-${"c".repeat(12)}`);
  });

  it("makes a token an admin mints up to critical wait for a second admin (the minting admin counts as one)", async () => {
    server = await createTestServer();
    const second = await createAdmin(server, "second-person");
    await criticalSecret();
    const issued = await requestToken(server, server.adminKey, { scope: "secrets:read:prod/*" });
    expect(issued.statusCode).toBe(202);
    expect(issued.body.approval_status).toBe("pending");
    const blocked = await getWith(server, issued.body.token, "/v1/secrets/prod/root");
    expect(blocked.statusCode).toBe(202);
    const approvalId = issued.body.approval_request_id as string;
    const approval = await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`);
    expect(approval.json()).toMatchObject({ required_approvals: 1, tier: "critical" });
    await decide(server, second.adminKey, approvalId, "approve");
    server.clock.advance(DELAY_SECONDS + 1);
    const read = await getWith(server, issued.body.token, "/v1/secrets/prod/root");
    expect(read.statusCode).toBe(200);

    // Up to sensitive, the minting admin alone suffices.
    await putSecret(server, server.adminKey, "team/s", { value: "canary-s", tier: "sensitive" });
    const sensitive = await requestToken(server, server.adminKey, { scope: "secrets:read:team/*" });
    expect(sensitive.statusCode).toBe(201);
  });
});

describe("sock puppets", () => {
  it("refuses a second admin, created by the first after the request, as the second approver", async () => {
    server = await createTestServer();
    await criticalSecret();
    const issued = await requestToken(server, server.agentKey, { scope: "secrets:read:prod/*" });
    const approvalId = issued.body.approval_request_id as string;
    expect((await decide(server, server.adminKey, approvalId, "approve")).statusCode).toBe(200);
    server.clock.advance(1);
    // The lone operator may make a second admin directly (the bootstrap case)…
    const puppet = await createAdmin(server, "puppet");
    // …but an admin younger than the request cannot be its second approver.
    const second = await decide(server, puppet.adminKey, approvalId, "approve");
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: "CONFLICT", reason: "approver_too_new" });
    server.clock.advance(DELAY_SECONDS + 1);
    expect((await getWith(server, issued.body.token, "/v1/secrets/prod/root")).statusCode).toBe(
      202,
    );
    const view = await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`);
    expect(view.json()).toMatchObject({ status: "pending", eligible_at: null });
    expect(view.json().approvals).toHaveLength(1);
  });

  it("makes creating a third admin a two-person action once two exist", async () => {
    server = await createTestServer();
    const second = await createAdmin(server, "second-person");
    const pending = await postAdmin(server.adminKey, "third");
    expect(pending.statusCode).toBe(202);
    expect(pending.body).not.toContain("ass_admin_");
    const error = pending.json().error;
    expect(error.code).toBe("APPROVAL_PENDING");
    const approvalId = error.approval_request_id as string;
    const request = await getWith(server, second.adminKey, `/v1/approvals/${approvalId}`);
    expect(request.json()).toMatchObject({
      status: "pending",
      tier: "critical",
      scopes: ["admins:create:third"],
      requested_by_type: "admin",
      required_approvals: 1,
    });
    // Asking again is the same request, and no admin was made meanwhile.
    const again = await postAdmin(server.adminKey, "third");
    expect(again.json().error.approval_request_id).toBe(approvalId);
    const listed = await getWith(server, server.adminKey, "/v1/admins");
    expect(listed.json().items).toHaveLength(2);
    // The requester cannot approve it itself.
    const self = await decide(server, server.adminKey, approvalId, "approve");
    expect(self.json().error.reason).toBe("self_approval");

    const approved = await decide(server, second.adminKey, approvalId, "approve");
    // Nothing is read: an admin action takes effect without the critical delay.
    expect(approved.json()).toMatchObject({ status: "approved" });
    // Only the requester's own retry carries it out, and only once.
    expect((await postAdmin(second.adminKey, "third")).statusCode).toBe(202);
    const created = await postAdmin(server.adminKey, "third");
    expect(created.statusCode).toBe(201);
    expect(created.json().api_key).toMatch(/^ass_admin_/);
    const next = await postAdmin(server.adminKey, "third");
    expect(next.statusCode).toBe(202);
    expect(next.json().error.approval_request_id).not.toBe(approvalId);
  });

  it("lets a lone admin's racing creations add one admin directly, never two", async () => {
    server = await createTestServer();
    const answers = await Promise.all(
      ["racer-a", "racer-b", "racer-c", "racer-d", "racer-e"].map((name) =>
        postAdmin(server.adminKey, name),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    // The others were refused (409, raced) or asked for a second admin's approval (202).
    for (const status of statuses.filter((status) => status !== 201)) {
      expect([202, 409]).toContain(status);
    }
    const listed = await getWith(server, server.adminKey, "/v1/admins");
    expect(listed.json().items).toHaveLength(2);
  });

  it("makes deleting an admin a two-person action once two exist", async () => {
    // (The admin to be deleted may approve: it is a second person, as another admin would be.)
    server = await createTestServer();
    const second = await createAdmin(server, "second-person");
    const pending = await deleteAdminWith(server.adminKey, second.adminId);
    expect(pending.statusCode).toBe(202);
    const approvalId = pending.json().error.approval_request_id as string;
    expect((await getWith(server, second.adminKey, "/v1/me")).statusCode).toBe(200);
    expect(
      (await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`)).json().scopes,
    ).toEqual([`admins:delete:${second.adminId}`]);
    expect((await decide(server, second.adminKey, approvalId, "approve")).statusCode).toBe(200);
    expect((await deleteAdminWith(server.adminKey, second.adminId)).statusCode).toBe(204);
    expect((await getWith(server, second.adminKey, "/v1/me")).statusCode).toBe(401);
  });
});
