import { afterEach, describe, expect, it } from "vitest";
import { createAdmin, decide, deleteAdmin as deleteAdminWith } from "./helpers/approvals.js";
import { createTestServer, getWith, putSecret, type TestServer } from "./helpers/test-server.js";

const DELAY_SECONDS = 60;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

function current(): TestServer {
  if (server === undefined) throw new Error("no server");
  return server;
}

/** A critical secret and the agent's pending read request for it. */
async function pendingRead(): Promise<string> {
  const test = current();
  await putSecret(test, test.adminKey, "prod/root", {
    value: "canary-value-deleted-approver",
    tier: "critical",
  });
  const read = await getWith(test, test.agentKey, "/v1/secrets/prod/root");
  expect(read.statusCode).toBe(202);
  return read.json().error.approval_request_id as string;
}

/** Deletes an admin: a two-person action, `approverKey` the second person. */
async function deleteAdmin(adminId: string, approverKey: string): Promise<void> {
  const test = current();
  const response = await deleteAdminWith(test, adminId, test.adminKey, approverKey);
  expect(response.statusCode, response.body).toBe(204);
}

async function approval(approvalId: string) {
  const test = current();
  return (await getWith(test, test.adminKey, `/v1/approvals/${approvalId}`)).json();
}

describe("an approval by an admin deleted while the request is pending", () => {
  it("stops counting: the request needs another admin's approval", async () => {
    server = await createTestServer({ approvals: { criticalDelaySeconds: DELAY_SECONDS } });
    // Approvers must exist before the request they approve.
    const first = await createAdmin(server, "first");
    const second = await createAdmin(server, "second", server.adminKey, first.adminKey);
    const third = await createAdmin(server, "third", server.adminKey, first.adminKey);
    const approvalId = await pendingRead();
    expect((await decide(server, first.adminKey, approvalId, "approve")).statusCode).toBe(200);
    await deleteAdmin(first.adminId, third.adminKey);

    const afterSecond = await decide(server, second.adminKey, approvalId, "approve");
    expect(afterSecond.statusCode, afterSecond.body).toBe(200);
    expect(afterSecond.json()).toMatchObject({ status: "pending", eligible_at: null });
    expect(afterSecond.json().approvals).toEqual([expect.objectContaining({ by: second.adminId })]);
    server.clock.advance(DELAY_SECONDS + 1);
    expect(await approval(approvalId)).toMatchObject({ status: "pending" });
    expect((await getWith(server, server.agentKey, "/v1/secrets/prod/root")).statusCode).toBe(202);

    const afterThird = await decide(server, third.adminKey, approvalId, "approve");
    expect(afterThird.json()).toMatchObject({ status: "pending", eligible_at: expect.any(String) });
    server.clock.advance(DELAY_SECONDS + 1);
    expect(await approval(approvalId)).toMatchObject({ status: "approved" });
    const read = await getWith(server, server.agentKey, "/v1/secrets/prod/root");
    expect(read.statusCode).toBe(200);
  });

  it("ends a critical delay its approval completed, until another admin approves", async () => {
    server = await createTestServer({ approvals: { criticalDelaySeconds: DELAY_SECONDS } });
    const first = await createAdmin(server, "first");
    const third = await createAdmin(server, "third", server.adminKey, first.adminKey);
    const approvalId = await pendingRead();
    await decide(server, first.adminKey, approvalId, "approve");
    const delayed = await decide(server, server.adminKey, approvalId, "approve");
    expect(delayed.json()).toMatchObject({ status: "pending", eligible_at: expect.any(String) });
    await deleteAdmin(first.adminId, third.adminKey);

    server.clock.advance(DELAY_SECONDS + 1);
    expect(await approval(approvalId)).toMatchObject({ status: "pending", eligible_at: null });
    expect((await getWith(server, server.agentKey, "/v1/secrets/prod/root")).statusCode).toBe(202);
    const listed = await getWith(server, server.adminKey, "/v1/approvals?status=pending");
    expect(listed.json().items).toEqual([expect.objectContaining({ id: approvalId })]);

    expect((await decide(server, third.adminKey, approvalId, "approve")).statusCode).toBe(200);
    server.clock.advance(DELAY_SECONDS + 1);
    expect((await getWith(server, server.agentKey, "/v1/secrets/prod/root")).statusCode).toBe(200);
  });

  it("stays in the history of a request decided before the admin was deleted", async () => {
    server = await createTestServer({ approvals: { criticalDelaySeconds: 0 } });
    const first = await createAdmin(server, "first");
    const approvalId = await pendingRead();
    await decide(server, first.adminKey, approvalId, "approve");
    await decide(server, server.adminKey, approvalId, "approve");
    await deleteAdmin(first.adminId, first.adminKey);
    const decided = await approval(approvalId);
    expect(decided).toMatchObject({ status: "approved" });
    expect(decided.approvals).toHaveLength(2);
    expect((await getWith(server, server.agentKey, "/v1/secrets/prod/root")).statusCode).toBe(200);
  });
});
