import { describe, expect, it } from "vitest";
import { AgentVaultError } from "../errors.js";
import {
  toAdminList,
  toAgentList,
  toApprovalPage,
  toAuditEvent,
  toAuditPage,
  toAuditVerification,
  toCreatedAdmin,
  toCreatedAgent,
  toCreatedTenant,
} from "./admin-wire-mappers.js";

const KEY = "ass_admin_fake0000mapperkey";

describe("admin list shapes", () => {
  it("accepts a bare array or the list under its own name", () => {
    expect(toApprovalPage([{ id: "apr_1" }]).items).toHaveLength(1);
    expect(toAgentList({ agents: [{ agent_id: "agt_1" }] })[0]?.agentId).toBe("agt_1");
    expect(toAdminList({ admins: [{ id: "adm_1" }] })[0]?.adminId).toBe("adm_1");
    expect(toAuditPage([{ id: "a", at: 0, event: "auth.failed" }]).nextCursor).toBeNull();
  });

  it("rejects anything else with INVALID_RESPONSE", () => {
    for (const body of [null, "text", { items: "no" }, { count: 1 }]) {
      expect(() => toAgentList(body)).toThrow(
        expect.objectContaining({ code: "INVALID_RESPONSE" }) as Error,
      );
    }
  });
});

describe("toAuditEvent", () => {
  it("understands camelCase names and fills missing optional fields with null", () => {
    const event = toAuditEvent({
      id: "aud_1",
      at: "2026-01-15T10:30:00.000Z",
      event: "token.issued",
      actorType: "agent",
      tokenId: "tok_1",
      prevHash: "h0",
    });
    expect(event).toMatchObject({
      seq: null,
      actorType: "agent",
      actorId: null,
      tokenId: "tok_1",
      path: null,
      version: null,
      outcome: "",
      detail: {},
      hash: "",
      prevHash: "h0",
    });
  });

  it("keeps the chain position the server sends, for following the log", () => {
    const event = toAuditEvent({ id: "aud_7", seq: 7, at: "2026-01-15T10:30:00.000Z", event: "x" });
    expect(event.seq).toBe(7);
  });

  it("keeps only scalar detail fields", () => {
    const event = toAuditEvent({
      id: "aud_1",
      at: "2026-01-15T10:30:00.000Z",
      event: "secret.imported",
      detail: { count: 3, ok: true, none: null, list: [1], object: { a: 1 } },
    });
    expect(event.detail).toEqual({ count: 3, ok: true, none: null });
  });

  it("requires the id, the time and the event", () => {
    expect(() => toAuditEvent({ at: "2026-01-15T10:30:00.000Z", event: "x" })).toThrow(
      AgentVaultError,
    );
    expect(() => toAuditEvent({ id: "a", at: "not a date", event: "x" })).toThrow(AgentVaultError);
    expect(() => toAuditEvent({ id: "a", at: "2026-01-15T10:30:00.000Z" })).toThrow(
      AgentVaultError,
    );
  });
});

describe("toAuditVerification", () => {
  it("adds reason only when the server gave one", () => {
    expect(toAuditVerification({ ok: true, count: 0 })).toEqual({
      ok: true,
      count: 0,
      brokenAt: null,
    });
    expect(toAuditVerification({ ok: false, count: 2, broken_at: "a", reason: "gap" })).toEqual({
      ok: false,
      count: 2,
      brokenAt: "a",
      reason: "gap",
    });
  });

  it("does not take a truthy non-boolean ok for an intact chain", () => {
    expect(() => toAuditVerification({ ok: "yes", count: 1 })).toThrow(AgentVaultError);
  });
});

describe("created credentials", () => {
  it("take the key from either generation's field name", () => {
    expect(toCreatedAgent({ id: "agt_1", apiKey: KEY }).apiKey).toBe(KEY);
    expect(toCreatedAdmin({ admin_id: "adm_1", admin_key: KEY }).apiKey).toBe(KEY);
    expect(toCreatedTenant({ id: "ten_1", api_key: KEY })).toMatchObject({
      tenantId: "ten_1",
      name: "",
      adminId: null,
      createdAt: null,
    });
  });

  it("refuse a response without the key, and never echo the body", () => {
    for (const create of [toCreatedAgent, toCreatedAdmin, toCreatedTenant]) {
      let message = "";
      try {
        create({ agent_id: "agt_1", admin_id: "adm_1", tenant_id: "ten_1", key: KEY });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain("response has no");
      expect(message).not.toContain(KEY);
    }
  });
});
