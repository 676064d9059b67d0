import { afterEach, describe, expect, it } from "vitest";
import { auditEvents, createAdmin, decide } from "./helpers/approvals.js";
import {
  bearer,
  createAgent,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer;
afterEach(async () => {
  await server?.app.close();
});

/** A secret of `tier` at prod/<tier> and a pending token (issued by the agent key) covering it. */
async function pendingToken(
  tier: "sensitive" | "critical",
  options: { ttl_seconds?: number } = {},
) {
  await putSecret(server, server.agentKey, `prod/${tier}`, {
    value: `canary-value-${tier}`,
    tier,
  });
  const issued = await requestToken(server, server.agentKey, {
    scope: `secrets:read:prod/${tier}`,
    ...options,
  });
  expect(issued.statusCode).toBe(202);
  return { token: issued.body.token, approvalId: issued.body.approval_request_id as string };
}

describe("approving a token request", () => {
  it("lets the same pending token read once an admin approves its sensitive request", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive");
    expect((await getWith(server, token, "/v1/secrets/prod/sensitive")).statusCode).toBe(202);

    const approved = await decide(server, server.adminKey, approvalId, "approve", "looks fine");
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      id: approvalId,
      status: "approved",
      approvals: [{ comment: "looks fine", by_name: "operator" }],
      required_approvals: 1,
      decided_at: expect.any(String),
    });

    const read = await getWith(server, token, "/v1/secrets/prod/sensitive");
    expect(read.statusCode).toBe(200);
    expect(read.json().value).toBe("canary-value-sensitive");
    expect((await getWith(server, token, "/v1/tokens/self")).json()).toMatchObject({
      approval_status: "approved",
    });
    const events = (await auditEvents(server)).map((event) => event.event);
    expect(events).toEqual(expect.arrayContaining(["approval.requested", "approval.granted"]));
  });

  it("refuses a denied token with 403 APPROVAL_DENIED and records the denial", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive");
    const denied = await decide(server, server.adminKey, approvalId, "deny", "not today");
    expect(denied.json()).toMatchObject({
      status: "denied",
      decided_by: expect.stringMatching(/^adm_/),
      decision_comment: "not today",
    });
    const read = await getWith(server, token, "/v1/secrets/prod/sensitive");
    expect(read.statusCode).toBe(403);
    expect(read.json().error.code).toBe("APPROVAL_DENIED");
    const [event] = await auditEvents(server, "approval.denied");
    expect(event).toMatchObject({ outcome: "success", actor_type: "admin" });
    const again = await decide(server, server.adminKey, approvalId, "approve");
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: "CONFLICT",
      reason: "not_pending",
      status: "denied",
    });
  });

  it("lets only admin keys approve or deny", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive");
    for (const credential of [server.agentKey, token]) {
      const response = await decide(server, credential, approvalId, "approve");
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toMatchObject({
        code: "SCOPE_DENIED",
        required_scope: "admin",
      });
    }
    expect(
      (await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`)).json().status,
    ).toBe("pending");
  });

  it("lets the requester cancel its own request, and nobody else but an admin", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive");
    const stranger = await createAgent(server, ["secrets:*:*"], "stranger");
    expect((await decide(server, stranger.agentKey, approvalId, "cancel")).statusCode).toBe(404);
    const cancelled = await decide(server, token, approvalId, "cancel");
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: "cancelled" });
    expect((await getWith(server, token, "/v1/secrets/prod/sensitive")).json().error.code).toBe(
      "APPROVAL_DENIED",
    );
  });

  it("expires a request with its token", async () => {
    server = await createTestServer();
    const { approvalId } = await pendingToken("sensitive", { ttl_seconds: 60 });
    server.clock.advance(61);
    const response = await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`);
    expect(response.json()).toMatchObject({ status: "expired" });
    expect(
      (await decide(server, server.adminKey, approvalId, "approve")).json().error,
    ).toMatchObject({ reason: "not_pending", status: "expired" });
    const expired = await auditEvents(server, "approval.expired");
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ actor_type: "system", outcome: "success" });
  });

  it("cancels the request of a revoked token", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive");
    const revoked = await server.app.inject({
      method: "DELETE",
      url: "/v1/tokens/self",
      headers: bearer(token),
    });
    expect(revoked.statusCode).toBe(204);
    const view = await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`);
    expect(view.json()).toMatchObject({ status: "cancelled", decision_comment: "token revoked" });
  });

  it("answers a retried approval with the same Idempotency-Key with the first answer", async () => {
    server = await createTestServer();
    const { approvalId } = await pendingToken("critical");
    const approve = (comment: string) =>
      server.app.inject({
        method: "POST",
        url: `/v1/approvals/${approvalId}/approve`,
        headers: { ...bearer(server.adminKey), "idempotency-key": "approve-once" },
        payload: { comment },
      });
    const first = await approve("first");
    const retry = await approve("first");
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(retry.json().approvals).toHaveLength(1);
    expect((await approve("another body")).statusCode).toBe(409);
  });

  it("lets exactly one of two racing decisions win", async () => {
    server = await createTestServer();
    const { approvalId } = await pendingToken("sensitive");
    const second = await createAdmin(server, "second approver");
    const responses = await Promise.all([
      decide(server, server.adminKey, approvalId, "approve"),
      decide(server, second.adminKey, approvalId, "deny"),
    ]);
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 409]);
    const winner = responses.find((response) => response.statusCode === 200)?.json().status;
    expect(
      (await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`)).json().status,
    ).toBe(winner);
  });
});

describe("critical requests", () => {
  it("need two different approvers, then the delay, before the same token reads", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("critical");
    const second = await createAdmin(server, "second approver");

    const first = await decide(server, server.adminKey, approvalId, "approve");
    expect(first.json()).toMatchObject({ status: "pending", approvals: [{}], eligible_at: null });
    const twice = await decide(server, server.adminKey, approvalId, "approve");
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({ code: "CONFLICT", reason: "same_approver_twice" });

    const last = await decide(server, second.adminKey, approvalId, "approve");
    const eligibleAt = new Date(server.clock.now().getTime() + 300_000).toISOString();
    expect(last.json()).toMatchObject({ status: "pending", eligible_at: eligibleAt });
    expect(last.json().approvals).toHaveLength(2);
    const third = await createAdmin(server, "third approver", server.adminKey, second.adminKey);
    expect(
      (await decide(server, third.adminKey, approvalId, "approve")).json().error,
    ).toMatchObject({ reason: "already_decided", eligible_at: eligibleAt });

    server.clock.advance(299);
    expect((await getWith(server, token, "/v1/secrets/prod/critical")).statusCode).toBe(202);
    server.clock.advance(1);
    const read = await getWith(server, token, "/v1/secrets/prod/critical");
    expect(read.statusCode).toBe(200);
    expect(read.json().value).toBe("canary-value-critical");
    const view = await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`);
    expect(view.json()).toMatchObject({ status: "approved", decided_at: eligibleAt });
    const granted = (await auditEvents(server, "approval.granted")).filter(
      (event) => (event.detail as { approval_id?: string }).approval_id === approvalId,
    );
    // Each approval, each refused one, and the system's at the end of the delay (the third
    // admin's creation had its own approval).
    expect(granted.map((event) => [event.actor_type, event.outcome])).toEqual([
      ["admin", "pending"],
      ["admin", "denied"],
      ["admin", "pending"],
      ["admin", "denied"],
      ["system", "success"],
    ]);
  });

  it("can be cancelled by the requester during the delay", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("critical");
    const second = await createAdmin(server, "second approver");
    await decide(server, server.adminKey, approvalId, "approve");
    await decide(server, second.adminKey, approvalId, "approve");
    server.clock.advance(120);
    const cancelled = await decide(
      server,
      server.agentKey,
      approvalId,
      "cancel",
      "changed my mind",
    );
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: "cancelled" });
    server.clock.advance(600);
    expect((await getWith(server, token, "/v1/secrets/prod/critical")).json().error.code).toBe(
      "APPROVAL_DENIED",
    );
    expect(
      (await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`)).json().status,
    ).toBe("cancelled");
  });

  it("honours a configured delay of zero", async () => {
    server = await createTestServer({ approvals: { criticalDelaySeconds: 0 } });
    const { token, approvalId } = await pendingToken("critical");
    const second = await createAdmin(server, "second approver");
    await decide(server, server.adminKey, approvalId, "approve");
    expect((await decide(server, second.adminKey, approvalId, "approve")).json().status).toBe(
      "approved",
    );
    expect((await getWith(server, token, "/v1/secrets/prod/critical")).statusCode).toBe(200);
  });
});

describe("agent key reads above standard", () => {
  it("read for the grant period once approved, then ask again", async () => {
    server = await createTestServer({ agentGrantSeconds: 600 });
    await putSecret(server, server.agentKey, "prod/db", {
      value: "canary-value-db",
      tier: "sensitive",
    });
    const asked = await getWith(server, server.agentKey, "/v1/secrets/prod/db");
    expect(asked.statusCode).toBe(202);
    const approvalId = asked.json().error.approval_request_id as string;
    const approved = await decide(server, server.adminKey, approvalId, "approve");
    expect(approved.json()).toMatchObject({
      status: "approved",
      path: "prod/db",
      grant_expires_at: new Date(server.clock.now().getTime() + 600_000).toISOString(),
    });
    expect((await getWith(server, server.agentKey, "/v1/secrets/prod/db")).json().value).toBe(
      "canary-value-db",
    );
    server.clock.advance(600);
    const later = await getWith(server, server.agentKey, "/v1/secrets/prod/db");
    expect(later.statusCode).toBe(202);
    expect(later.json().error.approval_request_id).not.toBe(approvalId);
  });

  it("ask again after a denial instead of reading", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/db", {
      value: "canary-value-db",
      tier: "sensitive",
    });
    const asked = await getWith(server, server.agentKey, "/v1/secrets/prod/db");
    const approvalId = asked.json().error.approval_request_id as string;
    await decide(server, server.adminKey, approvalId, "deny");
    const again = await getWith(server, server.agentKey, "/v1/secrets/prod/db");
    expect(again.statusCode).toBe(202);
    expect(again.body).not.toContain("canary-value");
  });
});

describe("GET /v1/approvals", () => {
  it("lists by status for admins only, oldest first, page by page", async () => {
    server = await createTestServer();
    const ids: string[] = [];
    for (const name of ["a", "b", "c"]) {
      await putSecret(server, server.agentKey, `prod/${name}`, {
        value: "canary-value-x",
        tier: "sensitive",
      });
      const asked = await getWith(server, server.agentKey, `/v1/secrets/prod/${name}`);
      ids.push(asked.json().error.approval_request_id);
      server.clock.advance(1);
    }
    await decide(server, server.adminKey, ids[1] ?? "", "deny");

    const pending = await getWith(server, server.adminKey, "/v1/approvals?status=pending&limit=1");
    expect(pending.statusCode).toBe(200);
    expect(pending.json().items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    const cursor = pending.json().next_cursor as string;
    const next = await getWith(
      server,
      server.adminKey,
      `/v1/approvals?status=pending&cursor=${cursor}`,
    );
    expect(next.json()).toMatchObject({ items: [{ id: ids[2] }], next_cursor: null });
    const denied = await getWith(server, server.adminKey, "/v1/approvals?status=denied");
    expect(denied.json().items.map((item: { id: string }) => item.id)).toEqual([ids[1]]);
    expect((await getWith(server, server.adminKey, "/v1/approvals")).json().items).toHaveLength(3);

    expect((await getWith(server, server.agentKey, "/v1/approvals")).statusCode).toBe(403);
    expect((await getWith(server, server.adminKey, "/v1/approvals?status=maybe")).statusCode).toBe(
      400,
    );
    expect(
      (await getWith(server, server.adminKey, "/v1/approvals?cursor=nonsense")).statusCode,
    ).toBe(400);
  });

  it("shows a request whose critical delay ended as approved", async () => {
    server = await createTestServer();
    const { approvalId } = await pendingToken("critical");
    const second = await createAdmin(server, "second approver");
    await decide(server, server.adminKey, approvalId, "approve");
    await decide(server, second.adminKey, approvalId, "approve");
    expect(
      (await getWith(server, server.adminKey, "/v1/approvals?status=approved")).json().items,
    ).toEqual([]);
    server.clock.advance(300);
    const approved = await getWith(server, server.adminKey, "/v1/approvals?status=approved");
    expect(approved.json().items.map((item: { id: string }) => item.id)).toEqual([approvalId]);
  });
});

describe("deciding with bad input", () => {
  it("answers an unknown field with 400 and an unknown request with 404", async () => {
    server = await createTestServer();
    const { approvalId } = await pendingToken("sensitive");
    const typo = await server.app.inject({
      method: "POST",
      url: `/v1/approvals/${approvalId}/approve`,
      headers: bearer(server.adminKey),
      payload: { coment: "typo" },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error.issues).toEqual([expect.objectContaining({ field: "coment" })]);
    expect((await decide(server, server.adminKey, "apr_missing", "approve")).statusCode).toBe(404);
  });
});

describe("tenants and approvals", () => {
  it("never shows or lets anyone decide another tenant's requests", async () => {
    server = await createTestServer();
    const { approvalId } = await pendingToken("sensitive");
    const created = await server.app.inject({
      method: "POST",
      url: "/v1/tenants",
      headers: bearer(server.adminKey),
      payload: { name: "other" },
    });
    const otherAdmin = created.json().admin_key as string;
    expect((await getWith(server, otherAdmin, `/v1/approvals/${approvalId}`)).statusCode).toBe(404);
    expect((await getWith(server, otherAdmin, "/v1/approvals")).json().items).toEqual([]);
    for (const action of ["approve", "deny", "cancel"] as const) {
      expect((await decide(server, otherAdmin, approvalId, action)).statusCode).toBe(404);
    }
    const otherAudit = (await getWith(server, otherAdmin, "/v1/audit")).json().items as {
      event: string;
    }[];
    expect(otherAudit.map((event) => event.event)).not.toContain("approval.requested");
    expect(
      (await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`)).json().status,
    ).toBe("pending");
  });
});

describe("deleting an agent", () => {
  it("kills its key and its tokens, and cancels its pending requests", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/s", {
      value: "canary-value-s",
      tier: "sensitive",
    });
    const agent = await createAgent(server, ["secrets:read:prod/*"]);
    const read = await getWith(server, agent.agentKey, "/v1/secrets/prod/s");
    const readApproval = read.json().error.approval_request_id as string;
    const issued = await requestToken(server, agent.agentKey, { scope: "secrets:read:prod/*" });
    const approved = await requestToken(server, agent.agentKey, {
      scope: "secrets:read:prod/other",
    });
    const child = await requestToken(server, approved.body.token, {
      scope: "secrets:read:prod/other",
    });
    expect(child.statusCode).toBe(201);

    const deleted = await server.app.inject({
      method: "DELETE",
      url: `/v1/agents/${agent.agentId}`,
      headers: bearer(server.adminKey),
    });
    expect(deleted.statusCode).toBe(204);
    for (const credential of [
      agent.agentKey,
      issued.body.token,
      approved.body.token,
      child.body.token,
    ]) {
      expect((await getWith(server, credential, "/v1/tokens/self")).statusCode).toBe(401);
    }
    for (const id of [readApproval, issued.body.approval_request_id as string]) {
      const view = await getWith(server, server.adminKey, `/v1/approvals/${id}`);
      expect(view.json()).toMatchObject({ status: "cancelled", decision_comment: "agent deleted" });
    }
  });
});
