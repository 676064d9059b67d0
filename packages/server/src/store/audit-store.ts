import type { Kysely } from "kysely";
import { type AuditEventContent, GENESIS_HASH, hashAuditEvent } from "../audit/hash-chain.js";
import type { Database } from "../db/schema.js";
import { parseJsonColumn } from "./json-column.js";

export type AuditDetail = Record<string, string | number | boolean | null>;

export type AuditEventRecord = Omit<AuditEventContent, "detail"> & {
  seq: number;
  detail: AuditDetail | null;
  prevHash: string;
  hash: string;
};

export type AuditFilter = {
  tenantId: string;
  afterSeq: number | null;
  limit: number;
  path?: string;
  event?: string;
  actor?: string;
};

/**
 * The append-only, hash-chained audit log. Appends go through the per-tenant chain head row,
 * inside the caller's transaction: SQLite serializes transactions, and on PostgreSQL
 * `lockChainHead` adds `FOR UPDATE` so concurrent instances queue on the head (READ COMMITTED
 * then reads the head the previous holder committed): the chain never forks.
 */
export class AuditStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { lockChainHead: boolean },
  ) {}

  /** Appends one event to its tenant's chain. Must run inside a transaction. */
  async append(content: AuditEventContent): Promise<AuditEventRecord> {
    if (!this.db.isTransaction) {
      throw new Error("AuditStore.append must run inside a transaction");
    }
    if (this.options.lockChainHead) {
      // Make sure the head row exists, so that FOR UPDATE below always has a row to queue on:
      // two instances appending a tenant's first events then wait for each other, not fork.
      await this.db
        .insertInto("audit_heads")
        .values({ tenant_id: content.tenantId, seq: 0, hash: GENESIS_HASH })
        .onConflict((conflict) => conflict.column("tenant_id").doNothing())
        .execute();
    }
    const head = await this.db
      .selectFrom("audit_heads")
      .selectAll()
      .where("tenant_id", "=", content.tenantId)
      .$if(this.options.lockChainHead, (query) => query.forUpdate())
      .executeTakeFirst();
    const prevHash = head?.hash ?? GENESIS_HASH;
    const seq = (head?.seq ?? 0) + 1;
    const hash = hashAuditEvent(prevHash, content);
    await this.db
      .insertInto("audit_events")
      .values({
        tenant_id: content.tenantId,
        seq,
        id: content.id,
        at: content.at,
        event: content.event,
        actor_type: content.actorType,
        actor_id: content.actorId,
        token_id: content.tokenId,
        path: content.path,
        version: content.version,
        ip: content.ip,
        outcome: content.outcome,
        request_id: content.requestId,
        detail: content.detail === undefined ? null : JSON.stringify(content.detail),
        prev_hash: prevHash,
        hash,
      })
      .execute();
    if (head === undefined) {
      await this.db
        .insertInto("audit_heads")
        .values({ tenant_id: content.tenantId, seq, hash })
        .execute();
    } else {
      await this.db
        .updateTable("audit_heads")
        .set({ seq, hash })
        .where("tenant_id", "=", content.tenantId)
        .execute();
    }
    return { ...content, detail: content.detail ?? null, seq, prevHash, hash };
  }

  /** A page of events in chain order, filtered. */
  async list(filter: AuditFilter): Promise<AuditEventRecord[]> {
    const rows = await this.db
      .selectFrom("audit_events")
      .selectAll()
      .where("tenant_id", "=", filter.tenantId)
      .$if(filter.afterSeq !== null, (query) => query.where("seq", ">", filter.afterSeq ?? 0))
      .$if(filter.path !== undefined, (query) => query.where("path", "=", filter.path ?? ""))
      .$if(filter.event !== undefined, (query) => query.where("event", "=", filter.event ?? ""))
      .$if(filter.actor !== undefined, (query) => query.where("actor_id", "=", filter.actor ?? ""))
      .orderBy("seq")
      .limit(filter.limit)
      .execute();
    return rows.map(toEvent);
  }

  /** The chain head (seq 0 and the genesis hash for a tenant with no events). */
  async head(tenantId: string): Promise<{ seq: number; hash: string }> {
    const head = await this.db
      .selectFrom("audit_heads")
      .select(["seq", "hash"])
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    return head ?? { seq: 0, hash: GENESIS_HASH };
  }
}

function toEvent(row: Database["audit_events"]): AuditEventRecord {
  const detail = parseJsonColumn<AuditDetail | null>(row.detail, null);
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    tenantId: row.tenant_id,
    event: row.event,
    actorType: row.actor_type,
    actorId: row.actor_id,
    tokenId: row.token_id,
    path: row.path,
    version: row.version,
    ip: row.ip,
    outcome: row.outcome,
    requestId: row.request_id,
    detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
