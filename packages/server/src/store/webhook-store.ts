import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

/** The tables of migration 009, typed here: only the webhook code reads them. */
export type WebhookRows = {
  webhook_outbox: {
    id: string;
    tenant_id: string;
    seq: number;
    event_type: string;
    body: string;
    state: OutboxState;
    attempts: number;
    next_attempt_at: string;
    lease_owner: string | null;
    lease_until: string | null;
    last_status: string | null;
    last_attempt_at: string | null;
    created_at: string;
    finished_at: string | null;
  };
  webhook_outbox_heads: { tenant_id: string; last_seq: number };
  tenant_webhooks: {
    tenant_id: string;
    url: string;
    sealed_secret: string;
    created_at: string;
    updated_at: string;
  };
};

/** `pending` until delivered (`delivered`) or given up on (`failed`, kept, never retried). */
export type OutboxState = "pending" | "delivered" | "failed";

/** One event to deliver. Its id is the `x-ass-delivery` id; `body` the exact JSON sent. */
export type OutboxEvent = {
  id: string;
  tenantId: string;
  seq: number;
  eventType: string;
  body: string;
  attempts: number;
  createdAt: string;
};

/** A tenant's own receiver; the signing secret only sealed (base64). */
export type TenantWebhookRecord = {
  tenantId: string;
  url: string;
  sealedSecret: string;
  createdAt: string;
  updatedAt: string;
};

/** How an attempt ended, as stored: never a secret, a body or a receiver's answer text. */
export type AttemptOutcome =
  | { kind: "delivered"; status: string; at: string }
  | { kind: "retry"; status: string; at: string; nextAttemptAt: string }
  | { kind: "failed"; status: string; at: string };

/** The durable webhook outbox and the tenants' webhooks, shared by every instance. */
export class WebhookStore {
  private readonly db: Kysely<WebhookRows>;

  constructor(db: Kysely<Database>) {
    this.db = db as unknown as Kysely<WebhookRows>;
  }

  /**
   * Inside the transaction of the change it announces: stores an event behind the tenant's
   * others. The tenant's head row stays locked until the transaction ends, so `seq` follows the
   * order in which the tenant's transactions commit (SQLite has one writer anyway).
   */
  async enqueue(event: {
    id: string;
    tenantId: string;
    eventType: string;
    body: string;
    createdAt: string;
  }): Promise<number> {
    await this.db
      .insertInto("webhook_outbox_heads")
      .values({ tenant_id: event.tenantId, last_seq: 0 })
      .onConflict((conflict) => conflict.column("tenant_id").doNothing())
      .execute();
    const head = await this.db
      .updateTable("webhook_outbox_heads")
      .set((eb) => ({ last_seq: eb("last_seq", "+", 1) }))
      .where("tenant_id", "=", event.tenantId)
      .returning("last_seq")
      .executeTakeFirstOrThrow();
    const seq = Number(head.last_seq);
    await this.db
      .insertInto("webhook_outbox")
      .values({
        id: event.id,
        tenant_id: event.tenantId,
        seq,
        event_type: event.eventType,
        body: event.body,
        state: "pending",
        attempts: 0,
        next_attempt_at: event.createdAt,
        lease_owner: null,
        lease_until: null,
        last_status: null,
        last_attempt_at: null,
        created_at: event.createdAt,
        finished_at: null,
      })
      .execute();
    return seq;
  }

  /**
   * The events that may be sent now: for each tenant only its oldest pending event (a later one
   * waits for it), when its next attempt is due and no live lease holds it.
   */
  async dueHeads(now: string, limit: number): Promise<OutboxEvent[]> {
    const rows = await this.db
      .selectFrom("webhook_outbox as o")
      .select([
        "o.id",
        "o.tenant_id",
        "o.seq",
        "o.event_type",
        "o.body",
        "o.attempts",
        "o.created_at",
      ])
      .where("o.state", "=", "pending")
      .where("o.next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("o.lease_until", "is", null), eb("o.lease_until", "<=", now)]))
      .where((eb) =>
        eb(
          "o.seq",
          "=",
          eb
            .selectFrom("webhook_outbox as i")
            .select((inner) => inner.fn.min("i.seq").as("first"))
            .whereRef("i.tenant_id", "=", "o.tenant_id")
            .where("i.state", "=", "pending"),
        ),
      )
      .orderBy("o.next_attempt_at")
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      seq: Number(row.seq),
      eventType: row.event_type,
      body: row.body,
      attempts: Number(row.attempts),
      createdAt: row.created_at,
    }));
  }

  /** When the next pending event falls due, or undefined when none is pending. */
  async nextDueAt(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("webhook_outbox")
      .select((eb) => eb.fn.min("next_attempt_at").as("next"))
      .where("state", "=", "pending")
      .executeTakeFirst();
    return row?.next ?? undefined;
  }

  /**
   * Takes an event for one attempt, if no other deliverer holds it: a conditional update, so of
   * two instances racing for it exactly one wins. The lease ends at `leaseUntil` even if its
   * holder dies, and then another instance may try again (at least once, never lost).
   */
  async claim(id: string, owner: string, now: string, leaseUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable("webhook_outbox")
      .set({ lease_owner: owner, lease_until: leaseUntil })
      .where("id", "=", id)
      .where("state", "=", "pending")
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records an attempt of an event this deliverer holds, and releases it. */
  async recordAttempt(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean> {
    const result = await this.db
      .updateTable("webhook_outbox")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        last_status: outcome.status,
        last_attempt_at: outcome.at,
        lease_owner: null,
        lease_until: null,
        ...(outcome.kind === "retry"
          ? { next_attempt_at: outcome.nextAttemptAt }
          : { state: outcome.kind, finished_at: outcome.at }),
      }))
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives up on an event without an attempt (no receiver to send it to). */
  async giveUp(id: string, owner: string, status: string, at: string): Promise<void> {
    await this.db
      .updateTable("webhook_outbox")
      .set({
        state: "failed",
        last_status: status,
        finished_at: at,
        lease_owner: null,
        lease_until: null,
      })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .execute();
  }

  /** Deletes delivered events finished before `deliveredBefore`, failed ones before `failedBefore`. */
  async prune(deliveredBefore: string, failedBefore: string): Promise<number> {
    const result = await this.db
      .deleteFrom("webhook_outbox")
      .where((eb) =>
        eb.or([
          eb.and([eb("state", "=", "delivered"), eb("finished_at", "<", deliveredBefore)]),
          eb.and([eb("state", "=", "failed"), eb("finished_at", "<", failedBefore)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The number of events in each state: of one tenant, or of all when `tenantId` is null. */
  async countByState(tenantId: string | null): Promise<Record<OutboxState, number>> {
    const rows = await this.db
      .selectFrom("webhook_outbox")
      .select((eb) => ["state", eb.fn.countAll<number | string | bigint>().as("count")])
      .$if(tenantId !== null, (query) => query.where("tenant_id", "=", tenantId as string))
      .groupBy("state")
      .execute();
    const counts: Record<OutboxState, number> = { pending: 0, delivered: 0, failed: 0 };
    for (const row of rows) counts[row.state] = Number(row.count);
    return counts;
  }

  /** A tenant's events in commit order (for tests and inspection): id, seq, state, attempts. */
  async listEvents(tenantId: string): Promise<
    {
      id: string;
      seq: number;
      eventType: string;
      state: OutboxState;
      attempts: number;
      lastStatus: string | null;
    }[]
  > {
    const rows = await this.db
      .selectFrom("webhook_outbox")
      .select(["id", "seq", "event_type", "state", "attempts", "last_status"])
      .where("tenant_id", "=", tenantId)
      .orderBy("seq")
      .execute();
    return rows.map((row) => ({
      id: row.id,
      seq: Number(row.seq),
      eventType: row.event_type,
      state: row.state,
      attempts: Number(row.attempts),
      lastStatus: row.last_status,
    }));
  }

  async findTenantWebhook(tenantId: string): Promise<TenantWebhookRecord | undefined> {
    const row = await this.db
      .selectFrom("tenant_webhooks")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    return (
      row && {
        tenantId: row.tenant_id,
        url: row.url,
        sealedSecret: row.sealed_secret,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    );
  }

  /** Sets a tenant's webhook, replacing the one it had. */
  async putTenantWebhook(record: TenantWebhookRecord): Promise<void> {
    await this.db
      .insertInto("tenant_webhooks")
      .values({
        tenant_id: record.tenantId,
        url: record.url,
        sealed_secret: record.sealedSecret,
        created_at: record.createdAt,
        updated_at: record.updatedAt,
      })
      .onConflict((conflict) =>
        conflict.column("tenant_id").doUpdateSet({
          url: record.url,
          sealed_secret: record.sealedSecret,
          updated_at: record.updatedAt,
        }),
      )
      .execute();
  }

  /** Removes a tenant's webhook; false when it had none. */
  async deleteTenantWebhook(tenantId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("tenant_webhooks")
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
