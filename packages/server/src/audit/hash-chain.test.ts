import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type AuditEventContent,
  type ChainedAuditEvent,
  canonicalJson,
  GENESIS_HASH,
  hashAuditEvent,
  hashedFields,
  hashedText,
  verifyAuditChain,
} from "./hash-chain.js";

/** A test chain key (all 7s): not a real key. */
const KEY = Buffer.alloc(32, 7);

function content(index: number, overrides: Partial<AuditEventContent> = {}): AuditEventContent {
  return {
    id: `evt_${index}`,
    at: new Date(Date.UTC(2026, 0, 15, 10, 30, index)).toISOString(),
    tenantId: "ten_test",
    event: index % 2 === 0 ? "secret.read" : "token.issued",
    actorType: "agent",
    actorId: "agt_1",
    tokenId: index % 3 === 0 ? null : `tok_${index}`,
    path: "production/openai/api-key",
    version: 1,
    ip: "127.0.0.1",
    outcome: "success",
    requestId: `req_${index}`,
    ...(index % 4 === 0
      ? { detail: { reason: "test", uses: index, approved: true, note: null } }
      : {}),
    ...overrides,
  };
}

function chain(count: number): ChainedAuditEvent[] {
  const events: ChainedAuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let index = 0; index < count; index += 1) {
    const event = content(index);
    const hash = hashAuditEvent(KEY, prevHash, event);
    events.push({ ...event, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

const EDITS: readonly [keyof AuditEventContent, unknown][] = [
  ["id", "evt_forged"],
  ["at", "2030-01-01T00:00:00.000Z"],
  ["tenantId", "ten_other"],
  ["event", "secret.deleted"],
  ["actorType", "admin"],
  ["actorId", "agt_2"],
  ["tokenId", "tok_forged"],
  ["path", "production/other"],
  ["version", 2],
  ["ip", "10.0.0.1"],
  ["outcome", "denied"],
  ["requestId", "req_forged"],
  ["detail", { reason: "edited" }],
];

describe("hashAuditEvent", () => {
  it("is a stable SHA-256 hex digest that depends on the previous hash", () => {
    const hash = hashAuditEvent(KEY, GENESIS_HASH, content(1));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditEvent(KEY, GENESIS_HASH, content(1))).toBe(hash);
    expect(hashAuditEvent(KEY, "f".repeat(64), content(1))).not.toBe(hash);
  });

  it("does not depend on key order, and hashes a missing detail like null", () => {
    const event = content(1);
    const reversed = Object.fromEntries(Object.entries(event).reverse()) as AuditEventContent;
    expect(hashAuditEvent(KEY, GENESIS_HASH, reversed)).toBe(
      hashAuditEvent(KEY, GENESIS_HASH, event),
    );
    const withDetail = content(4);
    const detail = withDetail.detail!;
    const reorderedDetail = Object.fromEntries(Object.entries(detail).reverse());
    expect(hashAuditEvent(KEY, GENESIS_HASH, { ...withDetail, detail: reorderedDetail })).toBe(
      hashAuditEvent(KEY, GENESIS_HASH, withDetail),
    );
    const { detail: _, ...withoutDetail } = withDetail;
    expect(hashAuditEvent(KEY, GENESIS_HASH, withoutDetail)).toBe(
      hashAuditEvent(KEY, GENESIS_HASH, { ...withoutDetail, detail: null as never }),
    );
  });

  it("gives the hashes vaults already hold: the bytes hashed never change", () => {
    const golden: AuditEventContent = {
      id: "evt_golden",
      at: "2026-01-15T10:30:00.000Z",
      tenantId: "ten_test",
      event: "secret.read",
      actorType: "agent",
      actorId: "agt_1",
      tokenId: null,
      path: "production/openai/api-key",
      version: 3,
      ip: "127.0.0.1",
      outcome: "success",
      requestId: "req_1",
    };
    // Computed with the general canonical JSON (keys sorted at run time) before the hot path
    // wrote the fields out in order: a chain written by either verifies under the other.
    expect(hashAuditEvent(KEY, GENESIS_HASH, golden)).toBe(
      "32e74bc73700f22883855b3681293b9fd970bb3a910f69246100d372c1b75465",
    );
    const detail = { reason: "tier", 'é"q': "ü\u2028", uses: 2, ok: true, none: null };
    expect(hashAuditEvent(KEY, GENESIS_HASH, { ...golden, detail })).toBe(
      "aa7125c014b4a35549f9fea2e736934307755d664e34f2f7001938e7168715f5",
    );
    expect(hashAuditEvent(null, GENESIS_HASH, golden)).toBe(
      "03b6ba0ebfd0c1316b3cadf673e4c827ea7d0d196474c3069c4965dcb2253833",
    );
  });

  const text = fc.string({ unit: "binary", maxLength: 12 });
  const optionalText = fc.option(text, { nil: undefined });
  const nullableText = fc.oneof(text, fc.constant(null), fc.constant(undefined));
  const eventContent = fc.record(
    {
      id: optionalText,
      at: optionalText,
      tenantId: optionalText,
      event: optionalText,
      actorType: optionalText,
      actorId: nullableText,
      tokenId: nullableText,
      path: nullableText,
      version: fc.oneof(fc.integer(), fc.constant(null), fc.constant(undefined)),
      ip: nullableText,
      outcome: optionalText,
      requestId: nullableText,
      detail: fc.option(
        fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null))),
        { nil: undefined },
      ),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<AuditEventContent>;

  test.prop([eventContent])(
    "hashes the text the general canonical JSON gives, for any content",
    (event) => {
      expect(hashedText(event)).toBe(canonicalJson(hashedFields(event)));
    },
  );

  it("ignores the stored hash columns of a row passed in whole", () => {
    const event = content(2);
    const row = { ...event, hash: "a".repeat(64), prevHash: "b".repeat(64) };
    expect(hashAuditEvent(KEY, GENESIS_HASH, row)).toBe(hashAuditEvent(KEY, GENESIS_HASH, event));
  });

  it("survives a JSON round trip of the stored row", () => {
    const event = content(4);
    const stored = JSON.parse(JSON.stringify(event)) as AuditEventContent;
    expect(hashAuditEvent(KEY, GENESIS_HASH, stored)).toBe(
      hashAuditEvent(KEY, GENESIS_HASH, event),
    );
  });

  it("has 64 zeros as the genesis hash", () => {
    expect(GENESIS_HASH).toBe("0".repeat(64));
  });
});

describe("verifyAuditChain", () => {
  it("verifies an intact chain of N events and returns its head", () => {
    const events = chain(25);
    expect(verifyAuditChain(events, { key: KEY })).toEqual({
      ok: true,
      count: 25,
      lastHash: events[24]!.hash,
    });
  });

  it("verifies an empty chain", () => {
    expect(verifyAuditChain([], { key: KEY })).toEqual({
      ok: true,
      count: 0,
      lastHash: GENESIS_HASH,
    });
  });

  it("verifies a chain in slices", () => {
    const events = chain(10);
    const first = verifyAuditChain(events.slice(0, 4), { key: KEY });
    expect(first.ok).toBe(true);
    const rest = verifyAuditChain(events.slice(4), {
      key: KEY,
      expectedPrevHash: first.ok ? first.lastHash : "",
    });
    expect(rest).toEqual({ ok: true, count: 6, lastHash: events[9]!.hash });
  });

  it.each(EDITS)("detects an edited %s field and names that event", (field, value) => {
    for (const target of [0, 4, 9]) {
      const events = chain(10);
      events[target] = { ...events[target]!, [field]: value };
      const result = verifyAuditChain(events, { key: KEY });
      // The broken event is named by the id it carries, which is the edited one for an id edit.
      const brokenAt = field === "id" ? value : `evt_${target}`;
      expect(result).toMatchObject({ ok: false, brokenAt, count: target });
    }
  });

  it("detects removing a detail field", () => {
    const events = chain(10);
    const { detail: _, ...stripped } = events[4]!;
    events[4] = stripped;
    expect(verifyAuditChain(events, { key: KEY })).toMatchObject({ ok: false, brokenAt: "evt_4" });
  });

  it("detects a deleted event at the next event", () => {
    for (const deleted of [0, 3, 8]) {
      const events = chain(10);
      events.splice(deleted, 1);
      const result = verifyAuditChain(events, { key: KEY });
      expect(result).toMatchObject({ ok: false, brokenAt: `evt_${deleted + 1}`, count: deleted });
      expect(!result.ok && result.reason).toContain("deleted, inserted or reordered");
    }
  });

  it("detects two swapped events", () => {
    const events = chain(10);
    [events[3], events[4]] = [events[4]!, events[3]!];
    expect(verifyAuditChain(events, { key: KEY })).toMatchObject({
      ok: false,
      brokenAt: "evt_4",
      count: 3,
    });
  });

  it("detects an event re-hashed after editing, at the event after it", () => {
    const events = chain(10);
    const edited = { ...events[5]!, outcome: "denied" };
    events[5] = { ...edited, hash: hashAuditEvent(KEY, edited.prevHash, edited) };
    expect(verifyAuditChain(events, { key: KEY })).toMatchObject({ ok: false, brokenAt: "evt_6" });
  });

  it("detects an inserted event", () => {
    const events = chain(10);
    const forged = content(99);
    const prevHash = events[4]!.hash;
    events.splice(5, 0, { ...forged, prevHash, hash: hashAuditEvent(KEY, prevHash, forged) });
    expect(verifyAuditChain(events, { key: KEY })).toMatchObject({
      ok: false,
      brokenAt: "evt_5",
      count: 6,
    });
  });

  it("detects an event from another tenant's chain", () => {
    const events = chain(3);
    const foreign = content(3, { tenantId: "ten_other" });
    const prevHash = events[2]!.hash;
    events.push({ ...foreign, prevHash, hash: hashAuditEvent(KEY, prevHash, foreign) });
    const result = verifyAuditChain(events, { key: KEY });
    expect(result).toMatchObject({ ok: false, brokenAt: "evt_3", count: 3 });
    expect(!result.ok && result.reason).toContain("another tenant");
  });

  it("refuses a chain re-hashed without the key, and one made under another key", () => {
    const events = chain(6);
    // Whoever edits the database deletes an event and re-hashes the rest with plain SHA-256.
    events.splice(2, 1);
    let prevHash = GENESIS_HASH;
    const rehashed = events.map((event) => {
      const hash = hashAuditEvent(null, prevHash, event);
      const next = { ...event, prevHash, hash };
      prevHash = hash;
      return next;
    });
    expect(verifyAuditChain(rehashed, { key: null })).toMatchObject({ ok: true, count: 5 });
    const keyed = verifyAuditChain(rehashed, { key: KEY });
    expect(keyed).toMatchObject({ ok: false, brokenAt: "evt_0", count: 0 });
    expect(!keyed.ok && keyed.reason).toContain("unkeyed SHA-256");
    expect(verifyAuditChain(chain(3), { key: Buffer.alloc(32, 8) })).toMatchObject({
      ok: false,
      brokenAt: "evt_0",
    });
  });
});
