import { describe, expect, it } from "vitest";
import { GENESIS_HASH, verifyAuditChain } from "../audit/hash-chain.js";
import { createDatabase } from "../db/create-database.js";
import { migrateToLatest } from "../db/migrate.js";
import { CommitGroup } from "./commit-group.js";
import { createDataAccess, type DataAccess } from "./stores.js";

async function openData(): Promise<{ data: DataAccess; transactions: () => number }> {
  const database = createDatabase({ kind: "sqlite", filename: ":memory:" });
  await migrateToLatest(database);
  const data = createDataAccess(database);
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
    expect(verifyAuditChain(chained, { expectedPrevHash: GENESIS_HASH })).toMatchObject({
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
});
