import type { AuditCheckpoint } from "../audit/checkpoint.js";
import { GENESIS_HASH, verifyAuditChain } from "../audit/hash-chain.js";
import type { AuditEventRecord } from "../store/audit-store.js";
import type { VaultContext } from "./vault-context.js";

const BATCH = 1000;

/** What `GET`/`POST /v1/audit/verify` answer; `checkpoints` is how many checkpoints were checked. */
export type AuditVerification =
  | { ok: true; count: number; last_hash: string; head_hash: string; checkpoints: number }
  | { ok: false; count: number; broken_at: string; reason: string; checkpoints: number };

function toChained(event: AuditEventRecord) {
  const { detail, seq: _seq, ...rest } = event;
  return detail === null ? rest : { ...rest, detail };
}

/**
 * Walks one tenant's whole chain in slices and checks every link and keyed hash, then that the
 * chain ends at the stored head (catches events cut off the end), then that it still holds every
 * given checkpoint's (seq, head_hash) (catches events cut off the end with the head set to
 * match). The checkpoints' signatures must have been checked already.
 */
export async function verifyTenantAuditChain(
  context: VaultContext,
  tenantId: string,
  checkpoints: readonly AuditCheckpoint[] = [],
): Promise<AuditVerification> {
  const wanted = new Set(checkpoints.map((checkpoint) => checkpoint.seq));
  const hashAt = new Map<number, string>([[0, GENESIS_HASH]]);
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
        checkpoints: 0,
      };
    }
    for (const event of events) if (wanted.has(event.seq)) hashAt.set(event.seq, event.hash);
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
      checkpoints: 0,
    };
  }
  const ordered = [...checkpoints].sort((a, b) => a.seq - b.seq);
  for (const [index, checkpoint] of ordered.entries()) {
    const hash = hashAt.get(checkpoint.seq);
    if (hash !== checkpoint.head_hash) {
      return {
        ok: false,
        count,
        broken_at: `seq ${checkpoint.seq}`,
        reason:
          hash === undefined
            ? `the chain ends at seq ${count}, before the checkpoint taken at ${checkpoint.at} (seq ${checkpoint.seq}): events were removed from the end`
            : `event seq ${checkpoint.seq} no longer has the hash of the checkpoint taken at ${checkpoint.at}: the chain was rewritten`,
        checkpoints: index,
      };
    }
  }
  return {
    ok: true,
    count,
    last_hash: lastHash,
    head_hash: head.hash,
    checkpoints: checkpoints.length,
  };
}
