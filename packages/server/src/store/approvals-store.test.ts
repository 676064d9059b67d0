import { describe, expect, it } from "vitest";
import { createDatabase } from "../db/create-database.js";
import { migrateToLatest } from "../db/migrate.js";
import type { ApprovalRecord } from "./approvals-store.js";
import { createDataAccess } from "./stores.js";

const TENANT = "ten_store_test";
const AT = "2026-01-15T10:00:00.000Z";

async function openData() {
  const database = createDatabase({ kind: "sqlite", filename: ":memory:" });
  await migrateToLatest(database);
  const data = createDataAccess(database, {
    auditKey: Buffer.alloc(32, 3),
    metadataKey: Buffer.alloc(32, 4),
  });
  await data.principals.insertTenant({ id: TENANT, name: "t", keyCheck: "check", createdAt: AT });
  return data;
}

function pendingRequest(id: string, status: ApprovalRecord["status"] = "pending"): ApprovalRecord {
  // One pending read request per agent, path and tier is allowed: each request gets its own path.
  const path = `prod/${id}`;
  return {
    id,
    tenantId: TENANT,
    status,
    tier: "critical",
    scopes: [`secrets:read:${path}`],
    path,
    requestedByType: "agent",
    requestedById: "agt_requester",
    tokenId: null,
    description: null,
    requiredApprovals: 2,
    eligibleAt: null,
    decidedAt: null,
    grantExpiresAt: null,
    createdAt: AT,
    expiresAt: "2026-01-16T10:00:00.000Z",
    decidedBy: null,
    decisionComment: null,
    version: 0,
    call: null,
    usedAt: null,
  };
}

const NO_CHANGE = {
  status: "pending" as const,
  eligibleAt: null,
  decidedAt: null,
  decidedBy: null,
  decisionComment: null,
  grantExpiresAt: null,
};

describe("ApprovalsStore.invalidatePendingApprovedBy", () => {
  it("makes a decision read before the approver's deletion lose its conditional write", async () => {
    const { approvals } = await openData();
    await approvals.insert(pendingRequest("apr_approved_by_a"));
    await approvals.insert(pendingRequest("apr_untouched"));
    await approvals.insertApproval({
      approvalId: "apr_approved_by_a",
      tenantId: TENANT,
      adminId: "adm_a",
      comment: null,
      at: AT,
    });

    expect(await approvals.invalidatePendingApprovedBy(TENANT, "adm_a")).toBe(1);

    // A decision computed at version 0 (while adm_a still counted) must not land…
    expect(await approvals.updateIfUnchanged(TENANT, "apr_approved_by_a", 0, NO_CHANGE)).toBe(
      false,
    );
    // …while requests adm_a never approved are left as they were.
    expect(await approvals.updateIfUnchanged(TENANT, "apr_untouched", 0, NO_CHANGE)).toBe(true);
  });

  it("leaves decided requests alone", async () => {
    const { approvals } = await openData();
    await approvals.insert(pendingRequest("apr_done", "approved"));
    await approvals.insertApproval({
      approvalId: "apr_done",
      tenantId: TENANT,
      adminId: "adm_a",
      comment: null,
      at: AT,
    });
    expect(await approvals.invalidatePendingApprovedBy(TENANT, "adm_a")).toBe(0);
  });
});
