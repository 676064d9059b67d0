import { afterEach, describe, expect, it } from "vitest";
import {
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

describe("the tier gate", () => {
  it("answers an agent key reading a sensitive secret with 202 and one pending request per path", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/stripe/key", {
      value: "canary-value-s",
      tier: "sensitive",
    });
    const first = await getWith(server, server.agentKey, "/v1/secrets/prod/stripe/key");
    expect(first.statusCode).toBe(202);
    const error = first.json().error;
    expect(error).toMatchObject({ code: "APPROVAL_PENDING" });
    expect(error.approval_id).toBe(error.approval_request_id);
    expect(first.body).not.toContain("canary-value");
    const second = await getWith(server, server.agentKey, "/v1/secrets/prod/stripe/key");
    expect(second.json().error.approval_request_id).toBe(error.approval_request_id);

    const approval = await getWith(
      server,
      server.agentKey,
      `/v1/approvals/${error.approval_request_id}`,
    );
    expect(approval.statusCode).toBe(200);
    expect(approval.json()).toMatchObject({
      id: error.approval_request_id,
      status: "pending",
      tier: "sensitive",
      scopes: ["secrets:read:prod/stripe/key"],
      approvals: [],
      required_approvals: 1,
      decided_at: null,
    });
    const other = await createAgent(server, ["secrets:*:*"], "other");
    expect(
      (await getWith(server, other.agentKey, `/v1/approvals/${error.approval_request_id}`))
        .statusCode,
    ).toBe(404);
  });

  it("lets an admin key read a sensitive secret, but not a critical one without a second admin", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/team", {
      value: "canary-value-s",
      tier: "sensitive",
    });
    await putSecret(server, server.agentKey, "prod/root", {
      value: "canary-value-c",
      tier: "critical",
    });
    const sensitive = await getWith(server, server.adminKey, "/v1/secrets/prod/team");
    expect(sensitive.json()).toMatchObject({ value: "canary-value-s", tier: "sensitive" });
    const critical = await getWith(server, server.adminKey, "/v1/secrets/prod/root");
    expect(critical.statusCode).toBe(202);
    expect(critical.body).not.toContain("canary-value");
  });

  it("issues a pending token (202) when its scopes cover a critical secret", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/root", {
      value: "canary-value-c",
      tier: "critical",
    });
    const issued = await requestToken(server, server.agentKey, {
      scope: "secrets:read:prod/*",
      max_uses: 1,
    });
    expect(issued.statusCode).toBe(202);
    expect(issued.body).toMatchObject({ approval_status: "pending", requires_approval: true });
    const approvalId = issued.body.approval_request_id as string;
    expect(approvalId).toMatch(/^apr_/);
    expect(issued.body.approval_id).toBe(approvalId);

    const read = await getWith(server, issued.body.token, "/v1/secrets/prod/root");
    expect(read.statusCode).toBe(202);
    expect(read.json().error).toMatchObject({
      code: "APPROVAL_PENDING",
      approval_request_id: approvalId,
    });
    const poll = await getWith(server, issued.body.token, `/v1/approvals/${approvalId}`);
    expect(poll.json()).toMatchObject({
      status: "pending",
      tier: "critical",
      required_approvals: 2,
    });
    const record = await getWith(server, issued.body.token, "/v1/tokens/self");
    expect(record.json()).toMatchObject({ uses: 0, approval_status: "pending" });
  });

  it("answers a pending token asking for a child token with 202 APPROVAL_PENDING", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/root", {
      value: "canary-value-c",
      tier: "sensitive",
    });
    const parent = await requestToken(server, server.agentKey, { scope: "secrets:read:prod/*" });
    const child = await requestToken(server, parent.body.token, { scope: "secrets:read:prod/*" });
    expect(child.statusCode).toBe(202);
    expect(child.body.error).toMatchObject({
      code: "APPROVAL_PENDING",
      approval_request_id: parent.body.approval_request_id,
    });
  });

  it("issues an approved token when its scopes cover only standard secrets", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/root", {
      value: "canary-value-c",
      tier: "critical",
    });
    const issued = await requestToken(server, server.agentKey, { scope: "secrets:read:dev/*" });
    expect(issued.statusCode).toBe(201);
  });

  it("lets an admin-issued token cover sensitive secrets without approval, not critical ones", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/team", {
      value: "canary-value-s",
      tier: "sensitive",
    });
    const issued = await requestToken(server, server.adminKey, { scope: "secrets:read:prod/*" });
    expect(issued.statusCode).toBe(201);
    expect((await getWith(server, issued.body.token, "/v1/secrets/prod/team")).json().value).toBe(
      "canary-value-s",
    );
    await putSecret(server, server.agentKey, "prod/root", {
      value: "canary-value-c",
      tier: "critical",
    });
    const critical = await requestToken(server, server.adminKey, { scope: "secrets:read:prod/*" });
    expect(critical.statusCode).toBe(202);
  });

  it("refuses a token reading a secret above the tier it was approved for with 403 APPROVAL_DENIED", async () => {
    server = await createTestServer();
    const issued = await requestToken(server, server.agentKey, { scope: "secrets:read:prod/*" });
    await putSecret(server, server.agentKey, "prod/new", {
      value: "canary-value-s",
      tier: "sensitive",
    });
    const response = await getWith(server, issued.body.token, "/v1/secrets/prod/new");
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("APPROVAL_DENIED");
  });

  it("keeps an old version's tier when the secret's tier is lowered", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "prod/k", {
      value: "canary-value-c",
      tier: "critical",
    });
    await putSecret(server, server.agentKey, "prod/k", {
      value: "canary-value-low",
      tier: "standard",
    });
    expect((await getWith(server, server.agentKey, "/v1/secrets/prod/k")).statusCode).toBe(200);
    expect(
      (await getWith(server, server.agentKey, "/v1/secrets/prod/k?version=1")).statusCode,
    ).toBe(202);
  });
});
