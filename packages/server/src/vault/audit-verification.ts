import { GENESIS_HASH, verifyAuditChain } from "../audit/hash-chain.js";
import type { AuditEventRecord } from "../store/audit-store.js";
import type { VaultContext } from "./vault-context.js";

const BATCH = 1000;

export type AuditVerification =
  | { ok: true; count: number; last_hash: string; head_hash: string }
  | { ok: false; count: number; broken_at: string; reason: string };

function toChained(event: AuditEventRecord) {
  const { detail, seq: _seq, ...rest } = event;
  return detail === null ? rest : { ...rest, detail };
}

/**
 * Walks one tenant's whole chain in slices and checks every link and hash, then that the chain
 * ends at the stored head (catches events cut off the end).
 */
export async function verifyTenantAuditChain(
  context: VaultContext,
  tenantId: string,
): Promise<AuditVerification> {
  const head = await context.data.audit.head(tenantId);
  let afterSeq: number | null = null;
  let lastHash = GENESIS_HASH;
  let count = 0;
  for (;;) {
    const events = await context.data.audit.list({ tenantId, afterSeq, limit: BATCH });
    if (events.length === 0) break;
    const result = verifyAuditChain(events.map(toChained), {
      key: context.auditKey,
      expectedPrevHash: lastHash,
    });
    if (!result.ok) {
      return {
        ok: false,
        count: count + result.count,
        broken_at: result.brokenAt,
        reason: result.reason,
      };
    }
    count += result.count;
    lastHash = result.lastHash;
    afterSeq = events[events.length - 1]?.seq ?? afterSeq;
    if (events.length < BATCH) break;
  }
  if (lastHash !== head.hash || count !== head.seq) {
    return {
      ok: false,
      count,
      broken_at: `seq ${count + 1}`,
      reason: "the chain ends before its recorded head: events were removed from the end",
    };
  }
  return { ok: true, count, last_hash: lastHash, head_hash: head.hash };
}
