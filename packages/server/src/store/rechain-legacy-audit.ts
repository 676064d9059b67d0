import {
  type AuditChainKey,
  GENESIS_HASH,
  hashAuditEvent,
  verifyAuditChain,
} from "../audit/hash-chain.js";
import { systemAuditEvent } from "../audit/system-event.js";
import type { AuditStore } from "./audit-store.js";

const BATCH = 1000;

/** What {@link rechainLegacyAudit} did with one tenant's chain. */
export type RechainOutcome =
  | { tenantId: string; result: "keyed" }
  | { tenantId: string; result: "rechained"; events: number }
  | { tenantId: string; result: "broken"; reason: string };

/**
 * Vaults made before the audit chain was keyed hashed it with plain SHA-256. For each tenant,
 * inside the caller's transaction (`audit` bound to it): a chain that already verifies under `key` is left as it is; a
 * chain that verifies as the old unkeyed chain, up to its recorded head, gets keyed hashes (the
 * events themselves are not changed) and then an `audit.rekeyed` event; any other chain is left
 * untouched, so that `GET /v1/audit/verify` keeps reporting it broken. Runs once, from migration
 * 005 (src/db/migrations/005-keyed-audit-chain.ts); running it again changes nothing.
 */
export async function rechainLegacyAudit(
  audit: AuditStore,
  key: Buffer,
  now: () => Date,
): Promise<RechainOutcome[]> {
  const outcomes: RechainOutcome[] = [];
  for (const tenantId of await audit.tenantsWithChains()) {
    const head = await audit.head(tenantId, { forUpdate: true });
    if ((await walk(audit, tenantId, key, head)).ok) {
      outcomes.push({ tenantId, result: "keyed" });
      continue;
    }
    const legacy = await walk(audit, tenantId, null, head);
    if (!legacy.ok) {
      outcomes.push({ tenantId, result: "broken", reason: legacy.reason });
      continue;
    }
    let prevHash = GENESIS_HASH;
    let afterSeq: number | null = null;
    for (;;) {
      const events = await audit.list({ tenantId, afterSeq, limit: BATCH });
      if (events.length === 0) break;
      const links = events.map((event) => {
        const { detail, ...rest } = event;
        const hash = hashAuditEvent(key, prevHash, detail === null ? rest : { ...rest, detail });
        const link = { seq: event.seq, prevHash, hash };
        prevHash = hash;
        return link;
      });
      await audit.relink(tenantId, links, { seq: head.seq, hash: prevHash });
      afterSeq = events[events.length - 1]?.seq ?? afterSeq;
      if (events.length < BATCH) break;
    }
    await audit.append(
      systemAuditEvent({
        tenantId,
        at: now().toISOString(),
        event: "audit.rekeyed",
        detail: { events: head.seq },
      }),
    );
    outcomes.push({ tenantId, result: "rechained", events: head.seq });
  }
  return outcomes;
}

/** Verifies a whole chain under one key, up to its recorded head. */
async function walk(
  audit: AuditStore,
  tenantId: string,
  key: AuditChainKey,
  head: { seq: number; hash: string },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  let expectedPrevHash = GENESIS_HASH;
  let afterSeq: number | null = null;
  let count = 0;
  for (;;) {
    const events = await audit.list({ tenantId, afterSeq, limit: BATCH });
    if (events.length === 0) break;
    const chained = events.map(({ detail, seq: _seq, ...rest }) =>
      detail === null ? rest : { ...rest, detail },
    );
    const result = verifyAuditChain(chained, { key, expectedPrevHash });
    if (!result.ok) return { ok: false, reason: `event ${result.brokenAt}: ${result.reason}` };
    count += result.count;
    expectedPrevHash = result.lastHash;
    afterSeq = events[events.length - 1]?.seq ?? afterSeq;
    if (events.length < BATCH) break;
  }
  if (count !== head.seq || expectedPrevHash !== head.hash) {
    return { ok: false, reason: "the chain ends before its recorded head" };
  }
  return { ok: true };
}
