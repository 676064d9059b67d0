import { afterEach, describe, expect, it } from "vitest";
import { createAdmin, decide } from "../helpers/approvals.js";
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

function current(): TestServer {
  if (server === undefined) throw new Error("no server");
  return server;
}

/** A sensitive or critical secret at gated/<tier>, a standard one at gated/plain, a pending token over both. */
async function pendingToken(
  tier: "sensitive" | "critical",
  options: Record<string, unknown> = {},
): Promise<{ token: string; tokenId: string; approvalId: string }> {
  const target = current();
  await putSecret(target, target.adminKey, `gated/${tier}`, { value: `${CANARY}-${tier}`, tier });
  await putSecret(target, target.adminKey, "gated/plain", { value: `${CANARY}-plain` });
  const issued = await requestToken(target, target.agentKey, {
    scopes: ["secrets:*:gated/*"],
    ...options,
  });
  expect(issued.statusCode).toBe(202);
  return {
    token: issued.body.token,
    tokenId: issued.body.token_id,
    approvalId: issued.body.approval_request_id as string,
  };
}

describe("a pending token", () => {
  it("does nothing before approval, even on standard secrets inside its scopes, and spends no use", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive", { max_uses: 1 });
    const attempts = [
      send(server, token, "GET", "/v1/secrets/gated/plain"),
      send(server, token, "GET", "/v1/metadata/gated/plain"),
      send(server, token, "GET", "/v1/secrets?namespace=gated"),
      send(server, token, "GET", "/v1/secrets/gated"),
      send(server, token, "GET", "/v1/secrets/gated/missing"),
      send(server, token, "PUT", "/v1/secrets/gated/plain", {
        payload: { value: "pending-write" },
      }),
      send(server, token, "POST", "/v1/secrets/gated/plain/rotate", {
        payload: { new_value: "pending-rotate" },
      }),
      send(server, token, "POST", "/v1/secrets/import", {
        payload: { namespace: "gated", content: "NEW=pending-import" },
      }),
      send(server, token, "DELETE", "/v1/secrets/gated/plain"),
      send(server, token, "POST", "/v1/tokens", { payload: { scope: "secrets:read:gated/plain" } }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode, response.body).toBe(202);
      expect(response.json().error).toMatchObject({
        code: "APPROVAL_PENDING",
        approval_request_id: approvalId,
      });
      expect(response.body).not.toContain(CANARY);
    }
    // Polling its own request and reading its own record are free.
    expect((await send(server, token, "GET", `/v1/approvals/${approvalId}`)).statusCode).toBe(200);
    expect((await send(server, token, "GET", "/v1/tokens/self")).json()).toMatchObject({ uses: 0 });
    const plain = await send(server, server.adminKey, "GET", "/v1/secrets/gated/plain");
    expect(plain.json()).toMatchObject({ version: 1, value: `${CANARY}-plain` });
    // Once approved, the single use is still there.
    await decide(server, server.adminKey, approvalId, "approve");
    expect((await send(server, token, "GET", "/v1/secrets/gated/sensitive")).statusCode).toBe(200);
    expect((await send(server, token, "GET", "/v1/secrets/gated/plain")).statusCode).toBe(401);
  });

  it("cannot approve its own request, nor can its agent or another agent", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive");
    const other = await createAgent(server, ["secrets:*:*"], "other");
    for (const credential of [token, server.agentKey]) {
      for (const action of ["approve", "deny"] as const) {
        expectError(await decide(server, credential, approvalId, action), 403, "SCOPE_DENIED");
      }
    }
    expect((await decide(server, other.agentKey, approvalId, "cancel")).statusCode).toBe(404);
    const sibling = await requestToken(server, server.agentKey, {
      scope: "secrets:read:gated/plain",
    });
    expect((await decide(server, sibling.body.token, approvalId, "cancel")).statusCode).toBe(404);
    expect(
      (await send(server, sibling.body.token, "GET", `/v1/approvals/${approvalId}`)).statusCode,
    ).toBe(404);
    expect((await send(server, token, "GET", "/v1/secrets/gated/sensitive")).statusCode).toBe(202);
  });

  it("stays refused after a denial: approving later, minting children and re-reading all fail", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive");
    expect((await decide(server, server.adminKey, approvalId, "deny")).statusCode).toBe(200);
    const second = await createAdmin(server, "second");
    const late = await decide(server, second.adminKey, approvalId, "approve");
    expect(expectError(late, 409, "CONFLICT")).toMatchObject({
      reason: "not_pending",
      status: "denied",
    });
    for (const response of [
      await send(server, token, "GET", "/v1/secrets/gated/sensitive"),
      await send(server, token, "GET", "/v1/secrets/gated/plain"),
      await send(server, token, "POST", "/v1/tokens", {
        payload: { scope: "secrets:read:gated/plain" },
      }),
    ]) {
      expectError(response, 403, "APPROVAL_DENIED");
    }
  });

  it("cannot be approved once its request expired with it", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive", { ttl_seconds: 60 });
    current().clock.advance(61);
    const late = await decide(server, server.adminKey, approvalId, "approve");
    expect(expectError(late, 409, "CONFLICT")).toMatchObject({
      reason: "not_pending",
      status: "expired",
    });
    expectError(
      await send(server, token, "GET", "/v1/secrets/gated/sensitive"),
      401,
      "UNAUTHORIZED",
    );
  });
});

describe("approvers", () => {
  it("count once however they repeat themselves: retries, other keys, other casings", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("critical");
    expect((await decide(server, server.adminKey, approvalId, "approve")).statusCode).toBe(200);
    const again = [
      await decide(server, server.adminKey, approvalId, "approve"),
      await send(server, server.adminKey, "POST", `/v1/approvals/${approvalId}/approve`, {
        headers: { "idempotency-key": "another-key-1" },
      }),
    ];
    for (const response of again) {
      expect(expectError(response, 409, "CONFLICT")).toMatchObject({
        reason: "same_approver_twice",
      });
    }
    for (const url of [
      `/v1/approvals/${approvalId.toUpperCase()}/approve`,
      `/v1/approvals/${approvalId}/APPROVE`,
      `/v1/approvals/${approvalId}/approve/`,
      `/v1/approvals/${approvalId}%2Fapprove`,
    ]) {
      const response = await send(server, server.adminKey, "POST", url);
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
    }
    const view = await send(server, server.adminKey, "GET", `/v1/approvals/${approvalId}`);
    expect(view.json()).toMatchObject({ status: "pending", approvals: [{}] });
    current().clock.advance(1800);
    expect((await send(server, token, "GET", "/v1/secrets/gated/critical")).statusCode).toBe(202);
  });

  it("racing the same approval from one admin record it once", async () => {
    server = await createTestServer();
    const { approvalId } = await pendingToken("critical");
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        send(current(), current().adminKey, "POST", `/v1/approvals/${approvalId}/approve`, {
          headers: { "idempotency-key": `race-${index}` },
        }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(7);
    const view = await send(server, server.adminKey, "GET", `/v1/approvals/${approvalId}`);
    expect(view.json().approvals).toHaveLength(1);
  });

  it("cannot hurry a critical request past its delay", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("critical");
    const second = await createAdmin(server, "second");
    await decide(server, server.adminKey, approvalId, "approve");
    await decide(server, second.adminKey, approvalId, "approve");
    const third = await createAdmin(server, "third", server.adminKey, second.adminKey);
    expect((await decide(server, third.adminKey, approvalId, "approve")).statusCode).toBe(409);
    current().clock.advance(299);
    expect((await send(server, token, "GET", "/v1/secrets/gated/critical")).statusCode).toBe(202);
    // A denial during the delay still wins.
    expect((await decide(server, third.adminKey, approvalId, "deny")).statusCode).toBe(200);
    current().clock.advance(10);
    expectError(
      await send(server, token, "GET", "/v1/secrets/gated/critical"),
      403,
      "APPROVAL_DENIED",
    );
  });
});

describe("an agent's read grant", () => {
  async function grantedAgent() {
    const target = current();
    await putSecret(target, target.adminKey, "pay/one", {
      value: `${CANARY}-one`,
      tier: "sensitive",
    });
    await putSecret(target, target.adminKey, "pay/two", {
      value: `${CANARY}-two`,
      tier: "sensitive",
    });
    const agent = await createAgent(target, ["secrets:*:pay/*"], "payer");
    const asked = await send(target, agent.agentKey, "GET", "/v1/secrets/pay/one");
    expect(asked.statusCode).toBe(202);
    await decide(target, target.adminKey, asked.json().error.approval_request_id, "approve");
    expect((await send(target, agent.agentKey, "GET", "/v1/secrets/pay/one")).statusCode).toBe(200);
    return agent;
  }

  it("covers that one path only: not its siblings, not another agent, not the agent's tokens", async () => {
    server = await createTestServer();
    const agent = await grantedAgent();
    expect((await send(server, agent.agentKey, "GET", "/v1/secrets/pay/two")).statusCode).toBe(202);
    const other = await createAgent(server, ["secrets:*:pay/*"], "other");
    expect((await send(server, other.agentKey, "GET", "/v1/secrets/pay/one")).statusCode).toBe(202);
    const token = await requestToken(server, agent.agentKey, { scope: "secrets:read:pay/one" });
    expect(token.statusCode).toBe(202);
    expect((await send(server, token.body.token, "GET", "/v1/secrets/pay/one")).statusCode).toBe(
      202,
    );
  });

  it("does not reach a higher tier: a secret raised to critical, or an older critical version", async () => {
    server = await createTestServer();
    const agent = await grantedAgent();
    await putSecret(server, server.adminKey, "pay/one", {
      value: `${CANARY}-v2`,
      tier: "critical",
    });
    expect((await send(server, agent.agentKey, "GET", "/v1/secrets/pay/one")).statusCode).toBe(202);
    // Lowered again: the current version is sensitive, the critical version 2 stays critical.
    await putSecret(server, server.adminKey, "pay/one", {
      value: `${CANARY}-v3`,
      tier: "sensitive",
    });
    expect((await send(server, agent.agentKey, "GET", "/v1/secrets/pay/one")).statusCode).toBe(200);
    const old = await send(server, agent.agentKey, "GET", "/v1/secrets/pay/one?version=2");
    expect(old.statusCode).toBe(202);
    expect(old.body).not.toContain(CANARY);
  });

  it("ends after the grant period", async () => {
    server = await createTestServer();
    const agent = await grantedAgent();
    current().clock.advance(3600);
    expect((await send(server, agent.agentKey, "GET", "/v1/secrets/pay/one")).statusCode).toBe(202);
  });
});

describe("an approved token", () => {
  it("reads no secret above its approved tier that appeared after approval", async () => {
    server = await createTestServer();
    const { token, approvalId } = await pendingToken("sensitive");
    await decide(server, server.adminKey, approvalId, "approve");
    await putSecret(server, server.adminKey, "gated/later", { value: CANARY, tier: "critical" });
    const read = await send(server, token, "GET", "/v1/secrets/gated/later");
    expectError(read, 403, "APPROVAL_DENIED");
    expect(read.body).not.toContain(CANARY);
    // Its child inherits the approved tier, not more.
    const child = await requestToken(server, token, { scope: "secrets:read:gated/later" });
    expect(child.statusCode).toBe(202);
  });
});
