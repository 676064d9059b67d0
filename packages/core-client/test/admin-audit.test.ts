import nock from "nock";
import { describe, expect, it } from "vitest";
import { AuditList } from "../src/admin/index.js";
import { type AgentVaultError, AgentVaultPermissionError } from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  ADMIN_KEY,
  ORIGIN,
  rejectionOf,
  testAdmin,
  wireAuditEvent,
  wireError,
} from "./support/vault-fixtures.js";

useNock();

describe("listAudit", () => {
  it("GETs /audit with the filters and maps events to camelCase with Dates", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } })
      .get("/v1/audit")
      .query({
        limit: "2",
        path: "production/openai/api-key",
        event: "secret.read",
        actor: "agt_1",
      })
      .reply(200, {
        items: [wireAuditEvent({ detail: { count: 2, agent_id: "agt_1", nested: { no: 1 } } })],
        next_cursor: "7",
      });
    const page = await testAdmin().listAudit({
      limit: 2,
      path: "production/openai/api-key",
      event: "secret.read",
      actor: "agt_1",
    });
    expect(page.nextCursor).toBe("7");
    expect(page.items).toEqual([
      {
        id: "aud_1",
        seq: 1,
        at: new Date("2026-01-15T10:30:00.000Z"),
        event: "secret.read",
        actorType: "agent",
        actorId: "agt_1",
        tokenId: null,
        path: "production/openai/api-key",
        version: 3,
        ip: "127.0.0.1",
        outcome: "success",
        requestId: "req_1",
        detail: { count: 2, agent_id: "agt_1" },
        hash: "hash-1",
        prevHash: "hash-0",
      },
    ]);
  });

  it("iterates every event of every page, following next_cursor", async () => {
    nock(ORIGIN)
      .get("/v1/audit")
      .query({ limit: "1" })
      .reply(200, { items: [wireAuditEvent({ id: "aud_1" })], next_cursor: "1" });
    nock(ORIGIN)
      .get("/v1/audit")
      .query({ limit: "1", cursor: "1" })
      .reply(200, { items: [wireAuditEvent({ id: "aud_2" })], next_cursor: null });
    const list = testAdmin().listAudit({ limit: 1 });
    expect(list).toBeInstanceOf(AuditList);
    const ids: string[] = [];
    for await (const event of list) ids.push(event.id);
    expect(ids).toEqual(["aud_1", "aud_2"]);
  });

  it("starts from the given cursor", async () => {
    nock(ORIGIN)
      .get("/v1/audit")
      .query({ cursor: "40" })
      .reply(200, { items: [], next_cursor: null });
    expect((await testAdmin().listAudit({ cursor: "40" })).items).toEqual([]);
  });

  it("reports an event without a timestamp as INVALID_RESPONSE", async () => {
    nock(ORIGIN)
      .get("/v1/audit")
      .reply(200, { items: [wireAuditEvent({ at: null })], next_cursor: null });
    const error = await rejectionOf(testAdmin().listAudit());
    expect((error as AgentVaultError).code).toBe("INVALID_RESPONSE");
    expect(error.message).toContain('"at"');
  });

  it("throws AgentVaultPermissionError for a key that is not an admin's", async () => {
    nock(ORIGIN)
      .get("/v1/audit")
      .reply(403, wireError("FORBIDDEN", { message: "needs an admin key" }));
    expect(await rejectionOf(testAdmin().listAudit())).toBeInstanceOf(AgentVaultPermissionError);
  });
});

describe("verifyAudit", () => {
  it("reports an intact chain, without a reason", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } })
      .get("/v1/audit/verify")
      .reply(200, { ok: true, count: 42, last_hash: "h42", head_hash: "h42" });
    const verification = await testAdmin().verifyAudit();
    expect(verification).toEqual({ ok: true, count: 42, brokenAt: null });
    expect("reason" in verification).toBe(false);
  });

  it("reports where and why a chain breaks, from snake_case fields", async () => {
    nock(ORIGIN)
      .get("/v1/audit/verify")
      .reply(200, { ok: false, count: 17, broken_at: "aud_9", reason: "hash mismatch" });
    expect(await testAdmin().verifyAudit()).toEqual({
      ok: false,
      count: 17,
      brokenAt: "aud_9",
      reason: "hash mismatch",
    });
  });

  it("also understands camelCase fields", async () => {
    nock(ORIGIN)
      .get("/v1/audit/verify")
      .reply(200, { ok: false, count: 3, brokenAt: "aud_2", reason: "truncated" });
    expect((await testAdmin().verifyAudit()).brokenAt).toBe("aud_2");
  });

  it("reports an answer without ok as INVALID_RESPONSE", async () => {
    nock(ORIGIN).get("/v1/audit/verify").reply(200, { count: 3 });
    const error = await rejectionOf(testAdmin().verifyAudit());
    expect((error as AgentVaultError).code).toBe("INVALID_RESPONSE");
  });
});

describe("audit checkpoints", () => {
  const checkpoint = {
    tenant: "ten_1",
    seq: 12,
    head_hash: "a".repeat(64),
    at: "2026-01-15T10:00:00.000Z",
    signature: "b".repeat(64),
  };

  it("GETs /audit/checkpoint and keeps its fields as sent, to be handed back", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } })
      .get("/v1/audit/checkpoint")
      .reply(200, checkpoint);
    expect(await testAdmin().auditCheckpoint()).toEqual(checkpoint);
  });

  it("POSTs the checkpoints to /audit/verify and reports how many held", async () => {
    nock(ORIGIN)
      .post("/v1/audit/verify", { checkpoints: [checkpoint] })
      .reply(200, { ok: false, count: 9, broken_at: "seq 12", reason: "cut", checkpoints: 0 });
    expect(await testAdmin().verifyAudit({ checkpoints: [checkpoint] })).toEqual({
      ok: false,
      count: 9,
      brokenAt: "seq 12",
      reason: "cut",
      checkpoints: 0,
    });
  });

  it("reports a checkpoint answer without a signature as INVALID_RESPONSE", async () => {
    const { signature: _signature, ...unsigned } = checkpoint;
    nock(ORIGIN).get("/v1/audit/checkpoint").reply(200, unsigned);
    const error = await rejectionOf(testAdmin().auditCheckpoint());
    expect((error as AgentVaultError).code).toBe("INVALID_RESPONSE");
  });
});
