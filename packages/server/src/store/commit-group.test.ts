import { describe, expect, it } from "vitest";
import { GENESIS_HASH, verifyAuditChain } from "../audit/hash-chain.js";
import { createDatabase } from "../db/create-database.js";
import { migrateToLatest } from "../db/migrate.js";
import { CommitGroup } from "./commit-group.js";
import { createDataAccess, type DataAccess } from "./stores.js";

/** A test chain key (all 5s): not a real key. */
const AUDIT_KEY = Buffer.alloc(32, 5);

async function openData(): Promise<{ data: DataAccess; transactions: () => number }> {
  const database = createDatabase({ kind: "sqlite", filename: ":memory:" });
  await migrateToLatest(database);
  const data = createDataAccess(database, {
    auditKey: AUDIT_KEY,
    metadataKey: Buffer.alloc(32, 9),
  });
  let count = 0;
  const counted: DataAccess = {
    ...data,
    transaction: (work) => {
      count += 1;
      return data.transaction(work);
    },
  };
  return { data: counted, transactions: () => count };
}

function event(index: number) {
  return {
    id: `evt_${index}`,
    at: "2026-01-15T10:00:00.000Z",
    tenantId: "ten_test",
    event: "secret.read",
    actorType: "agent",
    actorId: "agt_test",
    tokenId: null,
    path: `a/${index}`,
    version: 1,
    ip: "127.0.0.1",
    outcome: "success",
    requestId: `req_${index}`,
  };
}

describe("CommitGroup", () => {
  it("commits events appended together in one transaction, in order, as a valid chain", async () => {
    const { data, transactions } = await openData();
    const batcher = new CommitGroup(data, () => new Date("2026-01-15T10:00:00.000Z"));
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => batcher.append({ event: event(index) })),
    );
    expect(transactions()).toBe(1);
    const events = await data.audit.list({ tenantId: "ten_test", afterSeq: null, limit: 100 });
    expect(events.map((stored) => stored.id)).toEqual(
      Array.from({ length: 20 }, (_, index) => `evt_${index}`),
    );
    const chained = events.map(({ detail: _detail, seq: _seq, ...rest }) => rest);
    expect(
      verifyAuditChain(chained, { key: AUDIT_KEY, expectedPrevHash: GENESIS_HASH }),
    ).toMatchObject({
      ok: true,
      count: 20,
    });
    await data.close();
  });

  it("rejects every caller of a batch whose commit failed, and keeps working afterwards", async () => {
    const { data } = await openData();
    const batcher = new CommitGroup(data, () => new Date("2026-01-15T10:00:00.000Z"));
    await batcher.append({ event: event(1) });
    const duplicate = batcher.append({ event: event(1) });
    const sameBatch = batcher.append({ event: event(2) });
    await expect(duplicate).rejects.toThrow();
    await expect(sameBatch).rejects.toThrow();
    await expect(batcher.append({ event: event(3) })).resolves.toBe("committed");
    await data.close();
  });

  describe("token uses and principal checks", () => {
    const now = "2026-01-15T10:00:00.000Z";
    const later = "2026-01-15T11:00:00.000Z";

    async function seeded() {
      const { data, transactions } = await openData();
      await data.principals.insertTenant({
        id: "ten_test",
        name: "t",
        keyCheck: "k",
        createdAt: now,
      });
      await data.principals.insertAgent({
        id: "agt_test",
        tenantId: "ten_test",
        name: "a",
        description: null,
        allowedScopes: ["secrets:*:*"],
        createdAt: now,
        keyHash: "hash-agent",
      });
      const token = (id: string, maxUses: number | null) =>
        data.tokens.insert({
          id,
          tenantId: "ten_test",
          tokenHash: `hash-${id}`,
          issuerType: "agent",
          issuerId: "agt_test",
          parentTokenId: null,
          scopes: ["secrets:read:a/*"],
          description: null,
          allowedIps: null,
          maxUses,
          uses: 0,
          ttlSeconds: 3600,
          expiresAt: later,
          revokedAt: null,
          approvalStatus: "approved",
          approvalRequestId: null,
          approvedTier: "standard",
          createdAt: now,
        });
      await token("tok_limited", 2);
      await token("tok_unlimited", null);
      const group = new CommitGroup(data, () => new Date(now));
      return { data, transactions, group };
    }

    it("admits exactly max_uses of a limited token's racing uses, in one commit", async () => {
      const { data, transactions, group } = await seeded();
      const before = transactions();
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, (_, index) =>
          group.append({
            event: event(index),
            use: { tenantId: "ten_test", tokenId: "tok_limited", limited: true },
          }),
        ),
      );
      expect(transactions() - before).toBe(1);
      expect(outcomes.filter((outcome) => outcome === "committed")).toHaveLength(2);
      expect(outcomes.filter((outcome) => outcome === "used_up")).toHaveLength(3);
      expect((await data.tokens.findById("ten_test", "tok_limited"))?.uses).toBe(2);
      // Only the admitted reads are in the audit log.
      const events = await data.audit.list({ tenantId: "ten_test", afterSeq: null, limit: 100 });
      expect(events).toHaveLength(2);
      await data.close();
    });

    it("counts an unlimited token's uses with one update per commit", async () => {
      const { data, group } = await seeded();
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, () =>
          group.append({ use: { tenantId: "ten_test", tokenId: "tok_unlimited", limited: false } }),
        ),
      );
      expect(outcomes).toEqual(["committed", "committed", "committed", "committed"]);
      expect((await data.tokens.findById("ten_test", "tok_unlimited"))?.uses).toBe(4);
      await data.close();
    });

    it("refuses entries whose principal was revoked or deleted behind a cache's back", async () => {
      const { data, group } = await seeded();
      await data.transaction((stores) =>
        stores.tokens.revokeWithDescendants("ten_test", "tok_unlimited", now),
      );
      const revokedToken = group.append({
        event: event(1),
        use: { tenantId: "ten_test", tokenId: "tok_unlimited", limited: false },
        checks: [{ kind: "token", tenantId: "ten_test", id: "tok_unlimited" }],
      });
      const liveAgent = group.append({
        event: event(2),
        checks: [{ kind: "agent", tenantId: "ten_test", id: "agt_test" }],
      });
      expect(await revokedToken).toBe("gone");
      expect(await liveAgent).toBe("committed");
      await data.principals.deleteAgent("ten_test", "agt_test", now);
      expect(
        await group.append({
          event: event(3),
          checks: [{ kind: "agent", tenantId: "ten_test", id: "agt_test" }],
        }),
      ).toBe("gone");
      const events = await data.audit.list({ tenantId: "ten_test", afterSeq: null, limit: 100 });
      expect(events.map((stored) => stored.id)).toEqual(["evt_2"]);
      await data.close();
    });

    it("refuses an agent or admin key rotated away behind a cache's back, and admits its new key", async () => {
      const { data, group } = await seeded();
      const check = (keyHash: string) => [
        { kind: "agent" as const, tenantId: "ten_test", id: "agt_test", keyHash },
      ];
      expect(await group.append({ event: event(1), checks: check("hash-agent") })).toBe(
        "committed",
      );
      await data.principals.replaceKeyHash("agents", "ten_test", "agt_test", "hash-rotated");
      expect(await group.append({ event: event(2), checks: check("hash-agent") })).toBe("gone");
      expect(await group.append({ event: event(3), checks: check("hash-rotated") })).toBe(
        "committed",
      );
      // A token's issuer is checked without a key: its tokens outlive the rotation.
      expect(
        await group.append({
          event: event(4),
          checks: [{ kind: "agent", tenantId: "ten_test", id: "agt_test" }],
        }),
      ).toBe("committed");
      await data.close();
    });
  });
});
