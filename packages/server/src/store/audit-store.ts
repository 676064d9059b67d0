import type { Kysely } from "kysely";
import { type AuditEventContent, GENESIS_HASH, hashAuditEvent } from "../audit/hash-chain.js";
import { maskAuditContent } from "../audit/mask-audit-content.js";
import { type PreparedOwner, PreparedQueriesBySize, PreparedQuery } from "../db/prepared-query.js";
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
  /** Newest first (the hosted product's paging) instead of chain order. */
  newestFirst?: boolean;
  /** Rows skipped before the page (page-numbered paging). */
  offset?: number;
};

/**
 * The append-only, hash-chained audit log. Appends go through the per-tenant chain head row,
 * inside the caller's transaction: SQLite serializes transactions, and on PostgreSQL
 * `lockChainHead` adds `FOR UPDATE` so concurrent instances queue on the head (READ COMMITTED
 * then reads the head the previous holder committed): the chain never forks. Hashes are keyed
 * with `chainKey` (`deriveKey(masterKey, "audit")`, given where the stores are built).
 */
export class AuditStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: {
      lockChainHead: boolean;
      chainKey: Buffer;
      /** What prepared queries are kept under: one object per database (db/prepared-query.ts). */
      preparedFor: PreparedOwner;
    },
  ) {}

  /** Appends one event to its tenant's chain. Must run inside a transaction. */
  async append(content: AuditEventContent): Promise<AuditEventRecord> {
    const [record] = await this.appendMany([content]);
    if (record === undefined) throw new Error("AuditStore.append appended nothing");
    return record;
  }

  /**
   * Appends events in order, each to its tenant's chain, with one head lock, one multi-row insert
   * and one head update per tenant (group commit of the audit batcher). Must run inside a
   * transaction. Heads are locked in tenant order, so two instances never wait on each other in
   * a cycle.
   */
  async appendMany(contents: readonly AuditEventContent[]): Promise<AuditEventRecord[]> {
    if (!this.db.isTransaction) {
      throw new Error("AuditStore.append must run inside a transaction");
    }
    const byTenant = new Map<string, AuditEventContent[]>();
    for (const content of contents) {
      const events = byTenant.get(content.tenantId) ?? [];
      events.push(content);
      byTenant.set(content.tenantId, events);
    }
    const records = new Map<AuditEventContent, AuditEventRecord>();
    for (const tenantId of [...byTenant.keys()].sort()) {
      for (const record of await this.#appendToChain(tenantId, byTenant.get(tenantId) ?? [])) {
        records.set(record.content, record.record);
      }
    }
    return contents.map((content) => records.get(content) as AuditEventRecord);
  }

  async #appendToChain(
    tenantId: string,
    contents: readonly AuditEventContent[],
  ): Promise<{ content: AuditEventContent; record: AuditEventRecord }[]> {
    const { lockChainHead, preparedFor } = this.options;
    if (lockChainHead) {
      // Make sure the head row exists, so that FOR UPDATE below always has a row to queue on:
      // two instances appending a tenant's first events then wait for each other, not fork.
      await ENSURE_HEAD.execute(preparedFor, this.db, tenantId);
    }
    const [head] = await (lockChainHead ? HEAD_FOR_UPDATE : HEAD).execute(
      preparedFor,
      this.db,
      tenantId,
    );
    let prevHash = head?.hash ?? GENESIS_HASH;
    let seq = head?.seq ?? 0;
    const appended = contents.map((content) => {
      seq += 1;
      // Credentials pasted into any audited field are masked before they are hashed and stored.
      const masked = maskAuditContent(content);
      const hash = hashAuditEvent(this.options.chainKey, prevHash, masked);
      const record: AuditEventRecord = {
        ...masked,
        detail: masked.detail ?? null,
        seq,
        prevHash,
        hash,
      };
      prevHash = hash;
      return { content, record };
    });
    await INSERT_EVENTS.executeChunked(preparedFor, this.db, appended, (chunk) =>
      chunk.flatMap(({ record }) => rowValues(record)),
    );
    await (head === undefined ? INSERT_HEAD : UPDATE_HEAD).execute(
      preparedFor,
      this.db,
      tenantId,
      seq,
      prevHash,
    );
    return appended;
  }

  /** A page of events in chain order, filtered. */
  async list(filter: AuditFilter): Promise<AuditEventRecord[]> {
    const rows = await this.filtered(filter)
      .selectAll()
      .orderBy("seq", filter.newestFirst ? "desc" : "asc")
      .limit(filter.limit)
      .$if((filter.offset ?? 0) > 0, (query) => query.offset(filter.offset ?? 0))
      .execute();
    return rows.map(toEvent);
  }

  /** How many events match the filter (its `afterSeq`, `limit` and `offset` aside). */
  async count(filter: Omit<AuditFilter, "afterSeq" | "limit" | "offset">): Promise<number> {
    const row = await this.filtered({ ...filter, afterSeq: null })
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  private filtered(filter: Omit<AuditFilter, "limit">) {
    return this.db
      .selectFrom("audit_events")
      .where("tenant_id", "=", filter.tenantId)
      .$if(filter.afterSeq !== null, (query) => query.where("seq", ">", filter.afterSeq ?? 0))
      .$if(filter.path !== undefined, (query) => query.where("path", "=", filter.path ?? ""))
      .$if(filter.event !== undefined, (query) => query.where("event", "=", filter.event ?? ""))
      .$if(filter.actor !== undefined, (query) => query.where("actor_id", "=", filter.actor ?? ""));
  }

  /**
   * Writes new links for stored events (re-chaining an old unkeyed chain) and the head they end
   * at. Must run inside a transaction; the events' content is not touched.
   */
  async relink(
    tenantId: string,
    links: readonly { seq: number; prevHash: string; hash: string }[],
    head: { seq: number; hash: string },
  ): Promise<void> {
    if (!this.db.isTransaction) throw new Error("AuditStore.relink must run inside a transaction");
    for (const link of links) {
      await this.db
        .updateTable("audit_events")
        .set({ prev_hash: link.prevHash, hash: link.hash })
        .where("tenant_id", "=", tenantId)
        .where("seq", "=", link.seq)
        .execute();
    }
    await this.db
      .updateTable("audit_heads")
      .set({ seq: head.seq, hash: head.hash })
      .where("tenant_id", "=", tenantId)
      .execute();
  }

  /** Every tenant with an audit chain head. */
  async tenantsWithChains(): Promise<string[]> {
    const rows = await this.db.selectFrom("audit_heads").select("tenant_id").execute();
    return rows.map((row) => row.tenant_id).sort();
  }

  /**
   * The chain head (seq 0 and the genesis hash for a tenant with no events); with `forUpdate`
   * (inside a transaction) other appends to the chain wait until the caller commits.
   */
  async head(
    tenantId: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<{ seq: number; hash: string }> {
    const head = await this.db
      .selectFrom("audit_heads")
      .select(["seq", "hash"])
      .where("tenant_id", "=", tenantId)
      .$if(options.forUpdate === true && this.options.lockChainHead, (query) => query.forUpdate())
      .executeTakeFirst();
    return head ?? { seq: 0, hash: GENESIS_HASH };
  }
}

type AuditRow = Database["audit_events"];

/** The columns of an event row, in the order {@link rowValues} gives their values. */
const AUDIT_COLUMNS = [
  "tenant_id",
  "seq",
  "id",
  "at",
  "event",
  "actor_type",
  "actor_id",
  "token_id",
  "path",
  "version",
  "ip",
  "outcome",
  "request_id",
  "detail",
  "prev_hash",
  "hash",
] as const satisfies readonly (keyof AuditRow)[];

function rowValues(record: AuditEventRecord): unknown[] {
  return [
    record.tenantId,
    record.seq,
    record.id,
    record.at,
    record.event,
    record.actorType,
    record.actorId,
    record.tokenId,
    record.path,
    record.version,
    record.ip,
    record.outcome,
    record.requestId,
    record.detail === null ? null : JSON.stringify(record.detail),
    record.prevHash,
    record.hash,
  ];
}

// The append's statements, prepared once per database (db/prepared-query.ts): a batch of the
// group commit runs them for every read, so building them anew would cost more than running them.
const ENSURE_HEAD = new PreparedQuery(1, (db: Kysely<Database>, tenantId: string) =>
  db
    .insertInto("audit_heads")
    .values({ tenant_id: tenantId, seq: 0, hash: GENESIS_HASH })
    .onConflict((conflict) => conflict.column("tenant_id").doNothing()),
);
const headQuery = (forUpdate: boolean) =>
  new PreparedQuery(1, (db: Kysely<Database>, tenantId: string) =>
    db
      .selectFrom("audit_heads")
      .select(["seq", "hash"])
      .where("tenant_id", "=", tenantId)
      .$if(forUpdate, (query) => query.forUpdate()),
  );
const HEAD = headQuery(false);
const HEAD_FOR_UPDATE = headQuery(true);
const INSERT_HEAD = new PreparedQuery(
  3,
  (db: Kysely<Database>, tenantId: string, seq: number, hash: string) =>
    db.insertInto("audit_heads").values({ tenant_id: tenantId, seq, hash }),
);
const UPDATE_HEAD = new PreparedQuery(
  3,
  (db: Kysely<Database>, tenantId: string, seq: number, hash: string) =>
    db.updateTable("audit_heads").set({ seq, hash }).where("tenant_id", "=", tenantId),
);
/** Rows per INSERT: 16 columns each stays far below both engines' limits on parameters. */
const INSERT_EVENTS = new PreparedQueriesBySize(
  64,
  (rows) =>
    new PreparedQuery(rows * AUDIT_COLUMNS.length, (db: Kysely<Database>, ...values: unknown[]) =>
      db.insertInto("audit_events").values(
        Array.from({ length: rows }, (_, row) => {
          const at = row * AUDIT_COLUMNS.length;
          return Object.fromEntries(
            AUDIT_COLUMNS.map((column, index) => [column, values[at + index]]),
          ) as unknown as AuditRow;
        }),
      ),
    ),
);

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
