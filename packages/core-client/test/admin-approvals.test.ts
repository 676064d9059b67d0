import nock from "nock";
import { describe, expect, it } from "vitest";
import {
  AgentVaultConfigurationError,
  AgentVaultConflictError,
  AgentVaultError,
  AgentVaultNotFoundError,
} from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  ADMIN_KEY,
  ORIGIN,
  rejectionOf,
  testAdmin,
  wireApproval,
  wireError,
} from "./support/vault-fixtures.js";

useNock();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("listApprovals", () => {
  it("GETs /approvals?status= with the admin key and maps each request", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } })
      .get("/v1/approvals")
      .query({ status: "pending" })
      .reply(200, {
        items: [
          wireApproval(),
          wireApproval({
            id: "apr_2",
            tier: "critical",
            required_approvals: 2,
            approvals: [{ by: "adm_alice", at: "2026-01-15T10:31:00.000Z", comment: "ok" }],
          }),
        ],
      });
    const requests = await testAdmin().listApprovals({ status: "pending" });
    expect(requests.map((request) => request.id)).toEqual(["apr_1", "apr_2"]);
    expect(requests[0]).toMatchObject({
      status: "pending",
      tier: "sensitive",
      scopes: ["secrets:read:production/db/*"],
      requestedBy: "agt_1",
      description: "nightly report",
      requiredApprovals: 1,
      eligibleAt: null,
    });
    expect(requests[1]?.approvals).toEqual([
      { by: "adm_alice", at: new Date("2026-01-15T10:31:00.000Z"), comment: "ok" },
    ]);
  });

  it.each([
    ["a bare array", [wireApproval()]],
    ["{ items }", { items: [wireApproval()] }],
    ["{ approvals }", { approvals: [wireApproval()], next_cursor: null }],
  ])("accepts a list sent as %s", async (_shape, body) => {
    nock(ORIGIN).get("/v1/approvals").reply(200, body);
    expect((await testAdmin().listApprovals()).map((request) => request.id)).toEqual(["apr_1"]);
  });

  it("follows next_cursor until every page is read", async () => {
    nock(ORIGIN)
      .get("/v1/approvals")
      .query({ status: "pending" })
      .reply(200, { items: [wireApproval({ id: "apr_1" })], next_cursor: "c1" })
      .get("/v1/approvals")
      .query({ status: "pending", cursor: "c1" })
      .reply(200, { items: [wireApproval({ id: "apr_2" })], next_cursor: null });
    const requests = await testAdmin().listApprovals({ status: "pending" });
    expect(requests.map((request) => request.id)).toEqual(["apr_1", "apr_2"]);
  });

  it("sends no status when none is asked for", async () => {
    nock(ORIGIN)
      .get("/v1/approvals")
      .query((query) => Object.keys(query).length === 0)
      .reply(200, []);
    expect(await testAdmin().listApprovals()).toEqual([]);
  });

  it("reports a body that is not a list as INVALID_RESPONSE", async () => {
    nock(ORIGIN).get("/v1/approvals").reply(200, { status: "ok" });
    const error = await rejectionOf(testAdmin().listApprovals());
    expect(error).toBeInstanceOf(AgentVaultError);
    expect((error as AgentVaultError).code).toBe("INVALID_RESPONSE");
  });
});

describe("getApproval", () => {
  it("GETs one request, its id encoded as one segment", async () => {
    nock(ORIGIN)
      .get("/v1/approvals/apr%2F1")
      .query((query) => Object.keys(query).length === 0)
      .reply(200, wireApproval({ id: "apr/1" }));
    expect((await testAdmin().getApproval("apr/1")).id).toBe("apr/1");
  });

  it("long-polls with ?wait= seconds", async () => {
    nock(ORIGIN)
      .get("/v1/approvals/apr_1")
      .query({ wait: "30" })
      .reply(200, wireApproval({ status: "approved", decided_at: "2026-01-15T10:32:00.000Z" }));
    const request = await testAdmin().getApproval("apr_1", { wait: 30 });
    expect(request.status).toBe("approved");
    expect(request.decidedAt).toEqual(new Date("2026-01-15T10:32:00.000Z"));
  });

  it("refuses a negative or fractional wait before sending anything", async () => {
    for (const wait of [-1, 1.5]) {
      const error = await rejectionOf(testAdmin().getApproval("apr_1", { wait }));
      expect(error).toBeInstanceOf(AgentVaultConfigurationError);
      expect(error.message).toContain("wait");
    }
  });

  it("throws AgentVaultNotFoundError for an unknown request", async () => {
    nock(ORIGIN)
      .get("/v1/approvals/apr_9")
      .reply(404, wireError("NOT_FOUND", { message: "No approval request apr_9" }));
    expect(await rejectionOf(testAdmin().getApproval("apr_9"))).toBeInstanceOf(
      AgentVaultNotFoundError,
    );
  });
});

describe("approve, deny and cancel", () => {
  it.each([
    ["approve", "approved"],
    ["deny", "denied"],
    ["cancel", "cancelled"],
  ] as const)(
    "%s POSTs the comment with an Idempotency-Key and returns the request",
    async (decision, status) => {
      let body: unknown;
      let idempotencyKey: unknown;
      nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } })
        .post(`/v1/approvals/apr_1/${decision}`, (sent) => {
          body = sent;
          return true;
        })
        .reply(function reply() {
          idempotencyKey = this.req.headers["idempotency-key"];
          return [200, wireApproval({ status, decided_at: "2026-01-15T10:32:00.000Z" })];
        });
      const request = await testAdmin()[decision]("apr_1", { comment: "checked with the team" });
      expect(body).toEqual({ comment: "checked with the team" });
      expect(idempotencyKey).toMatch(UUID);
      expect(request.status).toBe(status);
    },
  );

  it("sends an empty body when there is no comment", async () => {
    let body: unknown;
    nock(ORIGIN)
      .post("/v1/approvals/apr_1/approve", (sent) => {
        body = sent;
        return true;
      })
      .reply(200, wireApproval({ status: "approved" }));
    await testAdmin().approve("apr_1");
    expect(body).toEqual({});
  });

  it("reads the request back when the server answers the decision with 204", async () => {
    nock(ORIGIN).post("/v1/approvals/apr_1/deny").reply(204);
    nock(ORIGIN)
      .get("/v1/approvals/apr_1")
      .reply(200, wireApproval({ status: "denied" }));
    expect((await testAdmin().deny("apr_1")).status).toBe("denied");
  });

  it("throws AgentVaultConflictError when the request was already decided", async () => {
    nock(ORIGIN)
      .post("/v1/approvals/apr_1/approve")
      .reply(409, wireError("CONFLICT", { message: "already denied" }));
    const error = await rejectionOf(testAdmin().approve("apr_1"));
    expect(error).toBeInstanceOf(AgentVaultConflictError);
    expect(error.message).toContain("already denied");
  });
});
